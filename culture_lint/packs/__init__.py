"""Rule packs: the YAML schema and loader, the registry of packs, concept lexicons, the `rules test` fixtures
runner, rule selection codes and coverage."""
