// Fails when a TypeScript source file is over 500 lines (shared/DESIGN.md: none over 500).
const LIMIT = 500;
const over: string[] = [];
async function walk(dir: string): Promise<void> {
  for await (const e of Deno.readDir(dir)) {
    if (e.name === "node_modules" || e.name.startsWith(".")) continue;
    const p = `${dir}/${e.name}`;
    if (e.isDirectory) await walk(p);
    else if (e.name.endsWith(".ts")) {
      const lines = (await Deno.readTextFile(p)).split("\n").length - 1;
      if (lines > LIMIT) over.push(`${p}: ${lines} lines`);
    }
  }
}
await walk(".");
if (over.length) {
  console.error(`source files over ${LIMIT} lines:\n  ${over.join("\n  ")}`);
  Deno.exit(1);
}
console.log(`sz: no source file over ${LIMIT} lines`);
