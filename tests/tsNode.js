// Mocha's TypeScript loader (.mocharc.json): ts-node in transpile-only mode, as for every run of the tests
// (the type-check is `tsc --noEmit`, once), with sucrase as its transpiler. sucrase only strips types and
// rewrites imports, keeping every line where it was; TypeScript's own transpiler took about a tenth of the
// suite's time to do the same. ts-node still reads tsconfig.json and maps stack traces.
"use strict";
require("ts-node").register({ transpileOnly: true, transpiler: require.resolve("./sucraseTranspiler.js") });
