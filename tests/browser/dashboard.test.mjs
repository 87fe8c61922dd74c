// The HR lead's pages in the browser, as a lead uses them: sign in at /login by pasting
// the demo's lead token with the keyboard, read the department overview, sort the staff
// table by a dimension with its column link, open a scorecard (charts as SVG with their
// accessible names, comments), sign out. axe-core checks /login (with and without the
// error), /dashboard and a scorecard. With HRSURVEY_SCREENSHOTS=1 the README's dashboard
// and scorecard screenshots are written to docs/screenshots/.
//
// Run: node --test tests/browser/dashboard.test.mjs (after the dev build).

import assert from "node:assert/strict";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { after, before, test } from "node:test";

import { check_with_axe } from "./axe.mjs";
import { focused, heading } from "./pages.mjs";
import { api_get, launch_browser, root, survey_world } from "./support.mjs";

const screenshots_wanted = process.env.HRSURVEY_SCREENSHOTS === "1";

// Enough responses over the demo's year that the staff clear the anonymity threshold in
// the dashboard's default period (the last 90 days), and some months of the trend do, so
// that the charts and comments show (about 1.5 s for the demo to make).
const responses = 6000;
const desktop = { viewport: { width: 1280, height: 900 } };

let browser;
before(async () => {
  browser = await launch_browser();
});
after(async () => {
  await browser?.close();
});

// Tabs from the top of /login to the token field, pastes `token` there (insertText: one
// input event with the whole text, as a paste makes, no key presses) and presses Enter.
// Resolves to the HTTP status of the post.
async function sign_in_by_keyboard(page, token) {
  for (let presses = 0; (await focused(page)).name !== "token"; presses++) {
    assert.ok(presses < 10, "Tab never reaches the token field");
    await page.keyboard.press("Tab");
  }
  await page.keyboard.insertText(token);
  const posted = page.waitForResponse((res) => res.request().method() === "POST");
  const loaded = page.waitForEvent("load");
  await page.keyboard.press("Enter");
  const [res] = await Promise.all([posted, loaded]);
  return res.status();
}

// The staff table's rows: [{name, href, cells: [text per dimension column]}].
function staff_rows(page) {
  return page.locator(".staff-table tbody tr").evaluateAll((rows) =>
    rows.map((r) => ({
      name: r.querySelector("th").textContent.trim(),
      href: r.querySelector("th a").getAttribute("href"),
      cells: [...r.querySelectorAll("td")].slice(1).map((td) => td.textContent.trim()),
    })),
  );
}

test("an HR lead signs in by keyboard, reads the overview, sorts the staff, opens a scorecard and signs out", async (t) => {
  const { store, server, context } = await survey_world(t, browser, { responses, context_options: desktop });
  const page = await context.newPage();

  // Not signed in: the dashboard sends to /login.
  await page.goto(`${server.url}/dashboard`);
  assert.equal(new URL(page.url()).pathname, "/login");
  assert.equal(await heading(page), "Sign in to the dashboard");

  // A wrong token: 401, the error is announced and tied to the field.
  assert.equal(await sign_in_by_keyboard(page, "hrs_not-a-real-token"), 401);
  assert.equal(await page.getByRole("alert").textContent().then((s) => s.trim()), "This token is not known, or it has been revoked.");
  const field = page.getByLabel("Access token");
  assert.equal(await field.getAttribute("aria-invalid"), "true");
  assert.equal(await field.getAttribute("aria-describedby"), "token-error");
  assert.equal(await field.inputValue(), "", "the token is not sent back");

  // The lead's token, with the spaces a copy from a terminal may bring.
  assert.equal(await sign_in_by_keyboard(page, ` ${store.lead} `), 303);
  assert.equal(new URL(page.url()).pathname, "/dashboard");
  assert.equal(await heading(page), "Department overview");

  // The department's figures are the API's, to two decimals.
  const q = new URL(page.url()).searchParams;
  const from_to = await page.locator(".period").textContent();
  const [, from, to] = from_to.match(/^(\d{4}-\d\d-\d\d) to (\d{4}-\d\d-\d\d)\./);
  assert.equal(q.toString(), "", "the default period comes with no query");
  const overview = await api_get(server, `/api/v1/reports/overview?from=${from}&to=${to}`, store.admin);
  const department = page.getByRole("table", { name: /^Each dimension: the mean/ });
  const dept_rows = await department.locator("tbody tr").evaluateAll((rows) =>
    rows.map((r) => [r.querySelector("th").textContent.trim(), r.querySelector("td").textContent.trim()]),
  );
  const expected = Object.entries(overview.dimensions)
    .map(([d, cell]) => [d, cell.suppressed ? `fewer than ${cell.fewer_than}` : cell.mean.toFixed(2)])
    .sort();
  assert.deepEqual(dept_rows.sort(), expected);
  assert.ok(expected.length >= 4, "every dimension of hr-service is shown");
  assert.match(await page.locator(".response-rate").textContent(), /^Response rate: /);

  // The staff table: the roster by name, a column per dimension.
  const staff_table = page.getByRole("table", { name: /^Each staff member's mean per dimension/ });
  const by_name = await staff_rows(page);
  assert.equal(by_name.length, 40);
  const names = by_name.map((r) => r.name);
  assert.deepEqual(names, [...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
  assert.equal(await staff_table.locator("th[aria-sort]").count(), 0);

  // Sort by courtesy with its column link: the same order as the API's, the column says so.
  await staff_table.getByRole("link", { name: "courtesy", exact: true }).click();
  assert.equal(new URL(page.url()).searchParams.get("sort"), "courtesy");
  assert.equal(await staff_table.locator("th[aria-sort]").textContent(), "courtesy");
  assert.equal(await staff_table.locator("th[aria-sort]").getAttribute("aria-sort"), "descending");
  const sorted = await staff_rows(page);
  const api = await api_get(server, `/api/v1/reports/staff?from=${from}&to=${to}&sort=courtesy`, store.lead);
  assert.deepEqual(
    sorted.map((r) => r.name),
    api.staff.map((s) => s.name),
  );
  assert.notDeepEqual(sorted.map((r) => r.name), names, "sorting changed the order");
  const first = api.staff[0];
  assert.equal(first.dimensions.courtesy.suppressed, false, "the best has a shown courtesy");

  // The best first: open their scorecard from the name link.
  await staff_table.getByRole("link", { name: first.name, exact: true }).click();
  assert.equal(new URL(page.url()).pathname, `/dashboard/staff/${first.id}`);
  assert.equal(await heading(page), first.name);
  assert.equal((await page.locator(".member").textContent()).trim(), `Team ${first.team}, id ${first.id}`);

  // Per shown dimension: three charts, each an image with a name that says its figures.
  const card = await api_get(server, `/api/v1/reports/staff/${first.id}?from=${from}&to=${to}`, store.lead);
  const shown = Object.entries(card.dimensions).filter(([, c]) => !c.suppressed);
  assert.ok(shown.length >= 1);
  let trend_dots = 0;
  for (const [d, c] of shown) {
    const interval = page.getByRole("img", { name: new RegExp(`^${d}: mean ${c.mean.toFixed(2)}, 95 % interval `) });
    assert.equal(await interval.count(), 1, `the interval chart of ${d}`);
    assert.equal(await interval.evaluate((e) => e.tagName.toLowerCase()), "svg");
    assert.equal(await interval.locator("circle.mean").count(), 1);
    assert.equal(await interval.locator("line.standard").count(), 1);
    const counts = c.histogram.map((n, i) => `${i + 1}: ${n}`).join(", ");
    const histogram = page.getByRole("img", { name: `${d}, how many gave each rating: ${counts}` });
    assert.equal(await histogram.count(), 1, `the histogram of ${d}`);
    assert.equal(await histogram.locator("rect").count(), 5);
    const trend = page.getByRole("img", { name: new RegExp(`^${d} by month, standard `) });
    assert.equal(await trend.count(), 1, `the trend of ${d}`);
    // A dot per month whose cell is shown, and none for the others.
    const months = card.trend.filter((p) => p.dimensions[d] && !p.dimensions[d].suppressed).length;
    assert.equal(await trend.locator("circle").count(), months, `the trend of ${d}: a dot per shown month`);
    trend_dots += months;
  }
  assert.ok(trend_dots >= 1, "some trend has a month to show");
  for (const svg of await page.locator("svg").all()) {
    // The SVG's title repeats its name, for the tooltip.
    assert.equal(await svg.locator(":scope > title").textContent(), await svg.getAttribute("aria-label"));
  }

  // The comments: the API's first page, newest first, each in its language.
  const comments = await api_get(server, `/api/v1/reports/staff/${first.id}/comments?from=${from}&to=${to}&limit=20`, store.lead);
  assert.ok(comments.comments.length >= 1, "the demo left comments on the best");
  const shown_comments = await page.locator("ol.comments > li").evaluateAll((items) =>
    items.map((li) => ({ lang: li.getAttribute("lang"), text: li.querySelector(".comment-text").textContent })),
  );
  assert.deepEqual(
    shown_comments,
    comments.comments.map((c) => ({ lang: c.locale, text: c.text })),
  );
  assert.equal(await page.getByRole("navigation", { name: "Comment pages" }).locator("span").textContent(), "Page 1");

  // Back to the overview of the same period.
  await page.getByRole("link", { name: "Back to the department overview" }).click();
  assert.equal(await heading(page), "Department overview");
  const back = new URL(page.url()).searchParams;
  assert.deepEqual([back.get("from"), back.get("to")], [from, to]);

  // Sign out: back at /login, and the dashboard is closed again.
  await page.getByRole("navigation", { name: "Dashboard" }).getByRole("button", { name: "Sign out" }).click();
  await page.waitForURL((url) => url.pathname === "/login");
  assert.equal(await heading(page), "Sign in to the dashboard");
  assert.deepEqual(await context.cookies(), [], "the session cookie is gone");
  await page.goto(`${server.url}/dashboard`);
  assert.equal(new URL(page.url()).pathname, "/login");
});

test("axe finds no violations on the dashboard pages", async (t) => {
  // axe is injected with the CSP bypassed, for this run only.
  const { store, server, context } = await survey_world(t, browser, {
    responses,
    context_options: { ...desktop, bypassCSP: true },
  });
  const page = await context.newPage();
  await page.goto(`${server.url}/login`);
  await check_with_axe(page, "the sign-in page");

  assert.equal(await sign_in_by_keyboard(page, "hrs_wrong"), 401);
  assert.equal(await page.getByRole("alert").count(), 1);
  await check_with_axe(page, "the sign-in page with its error");

  assert.equal(await sign_in_by_keyboard(page, store.lead), 303);
  assert.equal(await heading(page), "Department overview");
  await check_with_axe(page, "the department overview");

  await page.goto(`${server.url}/dashboard?sort=quality`);
  const [row] = await staff_rows(page);
  await page.goto(server.url + row.href);
  assert.equal(await heading(page), row.name);
  assert.ok((await page.locator("svg").count()) >= 3);
  await check_with_axe(page, "a scorecard");
});

// The README's screenshots of the dashboard: the overview sorted by courtesy, and the
// scorecard of the best, at desktop width.
test(
  "screenshots dashboard.png and scorecard.png",
  { skip: !screenshots_wanted && "set HRSURVEY_SCREENSHOTS=1 to write docs/screenshots/" },
  async (t) => {
    const { store, server, context } = await survey_world(t, browser, { responses, context_options: desktop });
    const page = await context.newPage();
    await page.goto(`${server.url}/login`);
    assert.equal(await sign_in_by_keyboard(page, store.lead), 303);
    // One team keeps the page short enough to read in the README.
    await page.goto(`${server.url}/dashboard?team=Payroll&sort=courtesy`);
    assert.equal(await heading(page), "Department overview");
    const folder = join(root, "docs", "screenshots");
    await mkdir(folder, { recursive: true });
    await page.screenshot({ path: join(folder, "dashboard.png"), fullPage: true, animations: "disabled" });
    const [row] = await staff_rows(page);
    await page.goto(server.url + row.href);
    assert.equal(await heading(page), row.name);
    await page.screenshot({ path: join(folder, "scorecard.png"), fullPage: true, animations: "disabled" });
  },
);
