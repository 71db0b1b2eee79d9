import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";

const root = path.join(__dirname, "..", "..");

/** The program's folders in the order docs/architecture.md "Program layout" gives: each imports only the ones before it. */
const layers = ["contracts", "config", "lib", "io", "components", "index.ts"] as const;
const ioModules = ["fs", "child_process", "http", "https", "net", "dgram", "dns", "tls", "worker_threads"];

interface Import {
  from: string;
  specifier: string;
  /** Resolved repository path for a relative import. */
  target?: string;
  typeOnly: boolean;
}

function filesOf(layer: string): string[] {
  const full = path.join(root, layer);
  if (layer.endsWith(".ts")) return [layer];
  return fs
    .readdirSync(full, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".ts"))
    .map((f) => path.join(layer, f).split(path.sep).join("/"));
}

function resolveRelative(from: string, specifier: string): string | undefined {
  const base = path.join(path.dirname(path.join(root, from)), specifier);
  for (const candidate of [`${base}.ts`, path.join(base, "index.ts"), base]) {
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return path.relative(root, candidate).split(path.sep).join("/");
  }
  return undefined;
}

/** Every import of a file: declarations, re-exports, `import x = require()`, require() and import() calls. */
function importsOf(file: string): Import[] {
  const source = ts.createSourceFile(file, fs.readFileSync(path.join(root, file), "utf8"), ts.ScriptTarget.Latest, true);
  const found: Import[] = [];
  const add = (specifier: string, typeOnly: boolean) =>
    found.push({ from: file, specifier, typeOnly, target: specifier.startsWith(".") ? resolveRelative(file, specifier) : undefined });
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const allTypes =
        !!clause &&
        (clause.isTypeOnly ||
          (!clause.name && !!clause.namedBindings && ts.isNamedImports(clause.namedBindings) && clause.namedBindings.elements.every((e) => e.isTypeOnly)));
      add(node.moduleSpecifier.text, allTypes);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      add(node.moduleSpecifier.text, node.isTypeOnly);
    } else if (
      ts.isImportEqualsDeclaration(node) &&
      ts.isExternalModuleReference(node.moduleReference) &&
      ts.isStringLiteral(node.moduleReference.expression)
    ) {
      add(node.moduleReference.expression.text, node.isTypeOnly);
    } else if (ts.isCallExpression(node) && node.arguments.length === 1 && ts.isStringLiteral(node.arguments[0])) {
      const callee = node.expression;
      if (callee.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(callee) && callee.text === "require")) add(node.arguments[0].text, false);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      add(node.argument.literal.text, true);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

const layerOf = (file: string): number => layers.findIndex((l) => file === l || file.startsWith(`${l}/`));

/** Strongly connected components of more than one file (or a file importing itself): each is an import cycle. */
export function importCycles(graph: Map<string, string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const connect = (node: string) => {
    index.set(node, counter);
    low.set(node, counter);
    counter++;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        connect(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) low.set(node, Math.min(low.get(node)!, index.get(next)!));
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1 || (graph.get(node) ?? []).includes(node)) cycles.push(component.sort());
    }
  };
  for (const node of [...graph.keys()].sort()) if (!index.has(node)) connect(node);
  return cycles;
}

describe("the program's import graph (index.ts, contracts/, config/, lib/, io/, components/)", () => {
  const files = layers.flatMap(filesOf);
  const imports = files.flatMap(importsOf);
  const relative = imports.filter((i) => i.specifier.startsWith("."));

  it("finds every file and resolves every relative import (a moved file leaves no dangling import)", () => {
    assert.ok(files.length > 50, `only ${files.length} files found`);
    assert.deepStrictEqual(
      relative.filter((i) => !i.target).map((i) => `${i.from} -> ${i.specifier}`),
      [],
    );
  });

  it("has no import cycle between files", () => {
    const graph = new Map<string, string[]>(files.map((f) => [f, []]));
    for (const i of relative) if (i.target && graph.has(i.target)) graph.get(i.from)!.push(i.target);
    const cycles = importCycles(graph);
    assert.deepStrictEqual(
      cycles.map((c) => c.join(" <-> ")),
      [],
      "break each cycle by moving what both sides need to contracts/ or to the module that owns it",
    );
  });

  it("imports only along the layers: contracts/ < config/ < lib/ < io/ < components/ < index.ts (so no folder imports another that imports it)", () => {
    const against = relative.filter((i) => i.target && layerOf(i.target) >= 0 && layerOf(i.target) > layerOf(i.from)).map((i) => `${i.from} -> ${i.target}`);
    assert.deepStrictEqual(against, [], 'docs/architecture.md "Program layout": move the shared piece down a layer');
  });

  it("contracts/ is shared with the policy pack: it imports neither the Pulumi SDK nor fs (nor any I/O module), only contracts/", () => {
    const bad = imports
      .filter((i) => i.from.startsWith("contracts/"))
      .filter(
        (i) =>
          i.specifier.startsWith("@pulumi/") ||
          ioModules.includes(i.specifier.replace(/^node:/, "")) ||
          (i.target !== undefined && !i.target.startsWith("contracts/")),
      )
      .map((i) => `${i.from} -> ${i.specifier}`);
    assert.deepStrictEqual(bad, []);
  });

  it("lib/ is pure: no I/O module, and the Pulumi SDK for types only (what reads the outside world lives in io/)", () => {
    const bad = imports
      .filter((i) => i.from.startsWith("lib/"))
      .filter((i) => ioModules.includes(i.specifier.replace(/^node:/, "")) || (i.specifier.startsWith("@pulumi") && !i.typeOnly))
      .map((i) => `${i.from} -> ${i.specifier}`);
    assert.deepStrictEqual(bad, []);
  });

  it("the cycle finder finds a cycle of three files and a file importing itself, and nothing in a chain", () => {
    const graph = (edges: [string, string][]) => {
      const g = new Map<string, string[]>();
      for (const [a, b] of edges) {
        g.set(a, [...(g.get(a) ?? []), b]);
        if (!g.has(b)) g.set(b, []);
      }
      return g;
    };
    const cycles = importCycles(
      graph([
        ["a", "b"],
        ["b", "c"],
        ["c", "a"],
        ["c", "d"],
        ["e", "e"],
      ]),
    );
    assert.deepStrictEqual(cycles.map((c) => c.join(",")).sort(), ["a,b,c", "e"]);
    assert.deepStrictEqual(
      importCycles(
        graph([
          ["a", "b"],
          ["b", "c"],
        ]),
      ),
      [],
    );
  });
});
