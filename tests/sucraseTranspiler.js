// A ts-node transpiler (ts-node's TranspilerModule interface) backed by sucrase: TypeScript to CommonJS, as
// sucrase's own require hook transforms it (cli/register.js uses the same options), with a source map.
"use strict";
const { transform } = require("sucrase");

exports.create = () => ({
    transpile(input, { fileName }) {
        const { code, sourceMap } = transform(input, {
            transforms: ["imports", "typescript"],
            filePath: fileName,
            sourceMapOptions: { compiledFilename: fileName },
        });
        return { outputText: code, sourceMapText: JSON.stringify(sourceMap) };
    },
});
