// WarmExec's second real MCP client: the official TypeScript SDK (@modelcontextprotocol/sdk,
// the reference implementation most agent hosts use), default settings. It spawns
// `LAUNCHER mcp serve`, creates nothing itself, calls workspace_exec `true` WARMUP + N times
// on the workspace it is given, and prints one line per measured call:
//   overhead_ms=<client-observed - duration_ms> server_ms=<in the server - duration_ms | ->
// (server_ms from the server's PYRO_MCP_TIMINGS lines on stderr; other stderr lines are
// passed through, prefixed; PYRO_MCP_TIMINGS=0 turns them off). Usage: node warm-exec.mjs
// LAUNCHER WORKSPACE_ID N [WARMUP]
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { performance } from "node:perf_hooks";
import { createInterface } from "node:readline";

const [launcher, workspaceId, nArg, warmupArg] = process.argv.slice(2);
if (!launcher || !workspaceId || !nArg) {
  console.error("usage: node warm-exec.mjs LAUNCHER WORKSPACE_ID N [WARMUP]");
  process.exit(2);
}
const n = Number.parseInt(nArg, 10);
const warmup = warmupArg === undefined ? 20 : Number.parseInt(warmupArg, 10);

const transport = new StdioClientTransport({
  command: launcher,
  args: ["mcp", "serve"],
  // The SDK passes only a few safe variables by default; the server needs PYRO_HOME & co.
  // PYRO_MCP_TIMINGS=0 in the caller's environment leaves the server's timing lines off (a
  // real client's session: nothing on stderr per call), server_ms is "-" then.
  env: { ...process.env, PYRO_MCP_TIMINGS: process.env.PYRO_MCP_TIMINGS ?? "1" },
  stderr: "pipe",
});
// The server's own time per answer, by request id (the client numbers them 0, 1, ...).
const serverMs = new Map();
const timing = /^pyro: mcp timing: id=(\d+) method=\S+ in_to_flushed_ms=([0-9.]+)/;
createInterface({ input: transport.stderr }).on("line", (line) => {
  const m = timing.exec(line);
  if (m) {
    serverMs.set(Number(m[1]), Number(m[2]));
  } else {
    process.stderr.write(`[pyro mcp serve] ${line}\n`);
  }
});

const client = new Client({ name: "pyro-bench-ts", version: "1" });
await client.connect(transport);
const rows = [];
// The initialize request took id 0; each call takes the next one.
let nextId = 1;
for (let i = 0; i < warmup + n; i++) {
  const t0 = performance.now();
  const r = await client.callTool({ name: "workspace_exec", arguments: { workspace_id: workspaceId, command: ["true"] } },
    undefined, { timeout: 120_000 });
  const ms = performance.now() - t0;
  const doc = r.structuredContent;
  if (r.isError || !doc || doc.exit_code !== 0) {
    console.error(`workspace_exec true failed: ${JSON.stringify(r.content)}`);
    process.exit(1);
  }
  if (i >= warmup) {
    rows.push({ id: nextId, overhead: ms - doc.duration_ms, duration: doc.duration_ms });
  }
  nextId++;
}
// stderr is read as it comes: give the last timing lines a moment to arrive before closing.
const timed = (process.env.PYRO_MCP_TIMINGS ?? "1") === "1";
for (let tries = 0; timed && tries < 50 && !serverMs.has(nextId - 1); tries++) {
  await new Promise((resolve) => setTimeout(resolve, 100));
}
await client.close();
for (const row of rows) {
  const server = serverMs.get(row.id);
  const s = server === undefined ? "-" : (server - row.duration).toFixed(3);
  process.stdout.write(`overhead_ms=${row.overhead.toFixed(3)} server_ms=${s}\n`);
}
