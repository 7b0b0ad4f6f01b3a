// The commands' TypeScript loader (`node -r ./cli/register.js cli/<command>.ts`, package.json's scripts).
//
// Each .ts file is turned into CommonJS by sucrase, which only strips the types and rewrites the imports,
// keeping every line where it was (stack traces need no source maps). The result is kept in
// node_modules/.cache/, keyed by a hash of the source, so a command run before loads no transpiler at all:
// the runbook starts in little more time than its AWS SDK clients take to load. The cache is a shortcut,
// never a requirement: when it cannot be read or written, the file is transpiled again.
"use strict";
const crypto = require("crypto");
const fs = require("fs");
const Module = require("module");
const path = require("path");

const CACHE = path.join(__dirname, "..", "node_modules", ".cache", "multi-region-dr-ts");
/** sucrase's options: TypeScript to CommonJS, as `sucrase/register/ts` sets them. */
const OPTIONS = { transforms: ["imports", "typescript"] };
/** What else decides the output: a new sucrase or new options make new entries. */
const SALT = `sucrase ${require("sucrase/package.json").version} ${JSON.stringify(OPTIONS)}\n`;
let transform; // sucrase's, loaded on the first file the cache does not hold

function cacheKey(source) {
    return crypto.createHash("sha256").update(SALT).update(source).digest("hex");
}

function transpile(source, filename) {
    const file = path.join(CACHE, `${cacheKey(source)}.js`);
    try {
        return fs.readFileSync(file, "utf8");
    } catch {
        // not cached yet
    }
    transform ??= require("sucrase").transform;
    const code = transform(source, { ...OPTIONS, filePath: filename }).code;
    try {
        fs.mkdirSync(CACHE, { recursive: true });
        const partial = `${file}.${process.pid}`;
        fs.writeFileSync(partial, code);
        fs.renameSync(partial, file); // atomic: two commands at once never read half a file
    } catch {
        // a read-only checkout: run without the cache
    }
    return code;
}

Module._extensions[".ts"] = function loadTypeScript(module, filename) {
    module._compile(transpile(fs.readFileSync(filename, "utf8"), filename), filename);
};
