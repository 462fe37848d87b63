// Starts `culture-lint lsp`, passes the cultureLint.* settings, shows the culture-fit score in the status bar.
import * as vscode from "vscode";
import { LanguageClient, LanguageClientOptions, ServerOptions } from "vscode-languageclient/node";

let client: LanguageClient | undefined;
let status: vscode.StatusBarItem;
const scores = new Map<string, Record<string, { score: number; band: string }>>();

function settings(): Record<string, unknown> {
  const c = vscode.workspace.getConfiguration("cultureLint");
  const out: Record<string, unknown> = {
    markets: c.get("markets"), select: c.get("select"), ignore: c.get("ignore"), rules: c.get("rules"),
    debounceMs: c.get("debounceMs"),
  };
  if (c.get("lang")) out.lang = c.get("lang");
  if (c.get("minSeverity")) out.minSeverity = c.get("minSeverity");
  return { cultureLint: out };
}

function showScore(): void {
  const editor = vscode.window.activeTextEditor;
  const entry = editor ? scores.get(editor.document.uri.toString()) : undefined;
  if (!entry || Object.keys(entry).length === 0) {
    status.hide();
    return;
  }
  status.text = "$(globe) " + Object.entries(entry).map(([m, s]) => `${m} ${s.score} (${s.band})`).join(" · ");
  status.tooltip = "culture-fit score per market";
  status.show();
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const command = vscode.workspace.getConfiguration("cultureLint").get<string[]>("command") ?? ["culture-lint", "lsp"];
  const serverOptions: ServerOptions = { command: command[0], args: command.slice(1) };
  const clientOptions: LanguageClientOptions = {
    documentSelector: ["plaintext", "markdown", "yaml", "json", "html", "csv", "tsv", "srt", "vtt"].map(
      (language) => ({ scheme: "file", language })).concat([{ scheme: "untitled", language: "plaintext" }]),
    initializationOptions: settings(),
    synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher("**/{.culture-lint.y*ml,pyproject.toml,*.yaml,*.yml}") },
  };
  status = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Right, 100);
  context.subscriptions.push(status);
  client = new LanguageClient("cultureLint", "culture-lint", serverOptions, clientOptions);
  context.subscriptions.push(client.onNotification("cultureLint/score", (p: { uri: string; scores: Record<string, { score: number; band: string }> }) => {
    scores.set(p.uri, p.scores);
    showScore();
  }));
  context.subscriptions.push(vscode.window.onDidChangeActiveTextEditor(showScore));
  context.subscriptions.push(vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration("cultureLint") && client) {
      void client.sendNotification("workspace/didChangeConfiguration", { settings: settings() });
    }
  }));
  await client.start();
}

export async function deactivate(): Promise<void> {
  if (client) {
    await client.stop();
  }
}
