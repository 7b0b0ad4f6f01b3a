// functions/: the code that runs in AWS, as the program packages it (components/functionCode.ts).
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { ROOT } from "../offline/evaluate";

describe("functions/: code that runs in AWS", () => {
    it("declares only runtime modules the project does not install (a declaration would hide the package's own types)", () => {
        const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
        const dependencies = { ...pkg.dependencies, ...pkg.devDependencies, ...pkg.optionalDependencies };
        const declarations = fs.readdirSync(path.join(ROOT, "functions")).filter((f) => f.endsWith(".d.ts"));
        const declared = declarations.flatMap((f) => [...fs.readFileSync(path.join(ROOT, "functions", f), "utf8").matchAll(/^declare module "([^"]+)"/gm)].map((m) => m[1]));
        assert.ok(declared.length > 0, "the test sees the declarations");
        for (const name of declared) {
            assert.equal(dependencies[name], undefined, `${name} is a dependency now: delete its declaration in functions/`);
            assert.throws(() => require.resolve(name, { paths: [ROOT] }), /Cannot find module/, `${name} is installed now: delete its declaration in functions/`);
        }
    });
});
