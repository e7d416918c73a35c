-- Neovim (0.7 or later) drives `kubeward lsp`: see scripts/test-lsp.sh.
local bin = os.getenv('KUBEWARD_BIN')
local work = os.getenv('KUBEWARD_WORK')

local function say(message)
  io.stdout:write('nvim-test: ' .. message .. '\n')
end

local function fail(message)
  io.stderr:write('nvim-test: FAILED: ' .. message .. '\n')
  vim.cmd('cquit 1')
end

local function codes(bufnr)
  local found = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    found[d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code) or '?'] = d
  end
  return found
end

-- A diagnostic's range in UTF-16 units, as the server sent it (Neovim keeps byte columns).
local function lsp_range(bufnr, d)
  local function at(lnum, col)
    local text = vim.api.nvim_buf_get_lines(bufnr, lnum, lnum + 1, false)[1] or ''
    local _, utf16 = vim.str_utfindex(text, math.min(col, #text))
    return { line = lnum, character = utf16 }
  end
  return { start = at(d.lnum, d.col), ['end'] = at(d.end_lnum, d.end_col) }
end

local function wait_for(what, condition)
  if not vim.wait(20000, condition, 20) then
    fail('timed out waiting for ' .. what)
  end
end

local function main()
  vim.cmd('edit ' .. work .. '/apps/workload.yaml')
  local workload = vim.api.nvim_get_current_buf()
  local client_id = vim.lsp.start_client({
    name = 'kubeward',
    cmd = { bin, 'lsp' },
    root_dir = work,
    workspace_folders = { { uri = vim.uri_from_fname(work), name = 'work' } },
  })
  if not client_id then
    fail('the client did not start')
  end
  vim.lsp.buf_attach_client(workload, client_id)
  local client = vim.lsp.get_client_by_id(client_id)

  -- Diagnostics: codes and ranges.
  wait_for('the workload diagnostics', function()
    return codes(workload)['no-privileged'] ~= nil
  end)
  local found = codes(workload)
  local privileged = found['no-privileged']
  local line = vim.api.nvim_buf_get_lines(workload, 13, 14, false)[1]
  local byte = line:find('privileged: true', 1, true) - 1
  if privileged.lnum ~= 13 or privileged.col ~= byte then
    fail(('no-privileged at %d:%d, expected 13:%d'):format(privileged.lnum, privileged.col, byte))
  end
  if privileged.severity ~= vim.diagnostic.severity.ERROR then
    fail('no-privileged is not an error')
  end
  local network = found['workload-without-network-policy']
  if not network or network.lnum ~= 10 then
    fail('workload-without-network-policy missing or not on line 11')
  end
  say('diagnostics: codes and ranges as expected')

  -- Hover.
  local range = lsp_range(workload, privileged)
  local position = range.start
  local params = { textDocument = { uri = vim.uri_from_bufnr(workload) }, position = position }
  local hover = client.request_sync('textDocument/hover', params, 10000, workload)
  local value = hover and hover.result and hover.result.contents and hover.result.contents.value or ''
  if not value:match('^[^\n]*'):find('no-privileged', 1, true) then
    fail('hover without the check: ' .. value)
  end
  say('hover: ' .. value:match('^[^\n]*'))

  -- The exempt code action.
  local lsp = { range = range, code = 'no-privileged', message = privileged.message, severity = 1 }
  local request = {
    textDocument = { uri = vim.uri_from_bufnr(workload) },
    range = lsp.range,
    context = { diagnostics = { lsp } },
  }
  local answer = client.request_sync('textDocument/codeAction', request, 10000, workload)
  local action
  for _, candidate in ipairs(answer and answer.result or {}) do
    if candidate.title:find('Exempt', 1, true) then
      action = candidate
    end
  end
  if not action then
    fail('no exempt code action')
  end
  vim.lsp.util.apply_workspace_edit(action.edit, client.offset_encoding or 'utf-16')
  local text = table.concat(vim.api.nvim_buf_get_lines(workload, 0, -1, false), '\n')
  if not text:find('    kubeward.io/ignore: "no-privileged:api-é😀"\n    kubeward.io/ignore-reason: "TODO', 1, true) then
    fail('the exempt edit did not write the annotation:\n' .. text)
  end
  wait_for('no-privileged to go', function()
    local now = codes(workload)
    return now['no-privileged'] == nil and now['run-as-non-root'] ~= nil
  end)
  say('code action: annotation written, diagnostic gone')

  -- A NetworkPolicy edited in another file.
  vim.cmd('edit ' .. work .. '/policies/netpol.yaml')
  local netpol = vim.api.nvim_get_current_buf()
  vim.lsp.buf_attach_client(netpol, client_id)
  vim.api.nvim_buf_set_lines(netpol, 7, 8, false, { '    matchLabels: {app: api}' })
  wait_for('workload-without-network-policy to go', function()
    return codes(workload)['workload-without-network-policy'] == nil
  end)
  say('cross-file: the NetworkPolicy edit cleared the workload diagnostic')

  vim.lsp.stop_client(client_id)
  vim.wait(5000, function()
    return vim.lsp.get_client_by_id(client_id) == nil
  end, 20)
  vim.cmd('qall!')
end

local ok, error = pcall(main)
if not ok then
  fail(tostring(error))
end
