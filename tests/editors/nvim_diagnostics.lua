-- Headless Neovim: open a script, attach the built-in LSP client to `culture-lint lsp`, write the diagnostics
-- Neovim received to a JSON file, quit. Environment: CL_FILE, CL_OUT, CL_PYTHON, CL_ROOT.
local file, out, python, root = vim.env.CL_FILE, vim.env.CL_OUT, vim.env.CL_PYTHON, vim.env.CL_ROOT
vim.cmd('edit ' .. vim.fn.fnameescape(file))
local bufnr = vim.api.nvim_get_current_buf()
local client_id = vim.lsp.start_client({
  name = 'culture-lint',
  cmd = { python, '-m', 'culture_lint', 'lsp' },
  root_dir = root,
  init_options = { cultureLint = { debounceMs = 50 } },
})
vim.lsp.buf_attach_client(bufnr, client_id)
local got = vim.wait(90000, function() return #vim.diagnostic.get(bufnr) > 0 end, 50)
local result = { attached = client_id ~= nil, timed_out = not got, diagnostics = {} }
for _, d in ipairs(vim.diagnostic.get(bufnr)) do
  local lsp = (d.user_data or {}).lsp or {}
  table.insert(result.diagnostics, {
    lnum = d.lnum, col = d.col, end_lnum = d.end_lnum, end_col = d.end_col, severity = d.severity,
    message = d.message, source = d.source, code = d.code or lsp.code,
  })
end
local fh = io.open(out, 'w')
fh:write(vim.fn.json_encode(result))
fh:close()
vim.lsp.stop_client(client_id)
vim.cmd('qa!')
