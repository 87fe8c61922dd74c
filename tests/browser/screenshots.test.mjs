// The README's screenshots of the survey form, taken from a demo store: on a desktop
// (1280 px) and on a phone (360 px). Written to docs/screenshots/ only when
// HRSURVEY_SCREENSHOTS=1 (`make screenshots`), so that `make test` leaves the tree as it
// was; otherwise skipped.

import assert from "node:assert/strict";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { after, before, test } from "node:test";

import { answer, heading } from "./pages.mjs";
import { launch_browser, root, survey_world } from "./support.mjs";

const wanted = process.env.HRSURVEY_SCREENSHOTS === "1";
const folder = join(root, "docs", "screenshots");

let browser;
before(async () => {
  if (wanted) browser = await launch_browser();
});
after(async () => {
  await browser?.close();
});

const shots = [
  ["survey-form-desktop.png", { viewport: { width: 1280, height: 900 } }],
  ["survey-form-phone.png", { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 }],
];

for (const [file, context_options] of shots) {
  test(`screenshot ${file}`, { skip: !wanted && "set HRSURVEY_SCREENSHOTS=1 to write docs/screenshots/" }, async (t) => {
    const { store, server, context } = await survey_world(t, browser, { context_options });
    const page = await context.newPage();
    await page.goto(`${server.url}/s/${store.english_invitation}`);
    assert.equal(await heading(page), "How did HR do?");
    await mkdir(folder, { recursive: true });
    if (context_options.isMobile) {
      // The phone's screen at the ratings, one full-width row per point, some picked.
      await answer(page, { request_type: "payroll", importance: "4", courtesy: "5" });
      await page.locator("#q-importance").evaluate((e) => e.scrollIntoView());
      await page.screenshot({ path: join(folder, file), animations: "disabled" });
    } else {
      await page.screenshot({ path: join(folder, file), fullPage: true, animations: "disabled" });
    }
  });
}
