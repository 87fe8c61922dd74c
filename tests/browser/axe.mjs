// axe-core (from npm) on a page as it is: any violation fails the test, with what axe
// says and where. The pages' CSP forbids every script, axe's too, so the pages checked
// must be opened in a context with `bypassCSP: true`.

import assert from "node:assert/strict";
import { createRequire } from "node:module";

const axe_script = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

export async function check_with_axe(page, what) {
  await page.addScriptTag({ path: axe_script });
  const { violations } = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
  const found = violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help}\n${v.nodes.map((n) => `    ${n.target.join(" ")}: ${n.failureSummary}`).join("\n")}`,
  );
  assert.deepEqual(found, [], `axe on ${what} (${page.url()}):\n${found.join("\n")}`);
}
