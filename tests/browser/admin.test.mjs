// The admin pages in the browser, as an admin uses them: sign in with the demo's admin
// token, upload a broken template and read every problem with its JSON pointer (the
// same problems the JSON API names for the same document, and nothing stored), upload a
// valid new version, preview it in each locale, import a roster with bad lines and
// create a token. axe-core checks every one of these pages.
//
// Run: node --test tests/browser/admin.test.mjs (after the dev build).

import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, test } from "node:test";

import { check_with_axe } from "./axe.mjs";
import { heading, html_lang } from "./pages.mjs";
import { api_get, launch_browser, patience_ms, root, survey_world } from "./support.mjs";

const desktop = { viewport: { width: 1280, height: 900 } };

let browser;
before(async () => {
  browser = await launch_browser();
});
after(async () => {
  await browser?.close();
});

// Signs in at /login with `token`; resolves once /dashboard has loaded.
async function sign_in(page, server, token) {
  await page.goto(`${server.url}/login`);
  await page.getByLabel("Access token").fill(token);
  await Promise.all([page.waitForURL(`${server.url}/dashboard`), page.getByRole("button", { name: "Sign in" }).click()]);
}

// Clicks `button` of a form on the page; resolves to the HTTP status of the post once
// the page it answered with has loaded.
async function post_form(page, button) {
  const posted = page.waitForResponse((res) => res.request().method() === "POST");
  const loaded = page.waitForEvent("load");
  await button.click();
  const [res] = await Promise.all([posted, loaded]);
  return res.status();
}

// The stored versions of each template as the admin page's table lists them:
// {template id: ["1 (0)", ...]}.
function listed_versions(page) {
  return page.locator("#h-templates ~ table tbody tr").evaluateAll((rows) =>
    Object.fromEntries(
      rows.map((r) => [
        r.querySelector("th").firstChild.textContent.trim(),
        [...r.querySelectorAll(".version")].map((v) => v.textContent.trim()),
      ]),
    ),
  );
}

// The JSON API's answer to POST /api/v1/surveys with `definition`: {status, body}.
async function api_upload(server, token, definition) {
  const res = await fetch(`${server.url}/api/v1/surveys`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify(definition),
    signal: AbortSignal.timeout(patience_ms),
  });
  return { status: res.status, body: await res.json() };
}

test("an admin uploads a broken template, sees every problem, and axe finds no violations on any admin page", async (t) => {
  const { store, server, context } = await survey_world(t, browser, {
    context_options: { ...desktop, bypassCSP: true },
  });
  const page = await context.newPage();
  await sign_in(page, server, store.admin);

  const res = await page.goto(`${server.url}/admin`);
  assert.equal(res.status(), 200);
  assert.equal(await heading(page), "Administration");
  await check_with_axe(page, "the admin page");
  const versions_before = await listed_versions(page);
  assert.deepEqual(Object.keys(versions_before), ["hr-service"]);
  const api_versions_before = await api_get(server, "/api/v1/surveys", store.admin);

  // Several problems at once, in different places of the document.
  const shipped = JSON.parse(await readFile(join(root, "survey_defs", "hr-service.json"), "utf8"));
  const broken = structuredClone(shipped);
  broken.version = 2;
  broken.default_locale = 7;
  broken.questions[0].type = "bogus";
  broken.questions[1].required = "yes";
  broken.questions[2].id = "Not An Id";
  await page.getByLabel("Template JSON").fill(JSON.stringify(broken, null, 2));
  assert.equal(await post_form(page, page.getByRole("button", { name: "Check and store" })), 400);
  const shown = (await page.locator("#upload-problems li").allTextContents()).map((s) => s.trim());
  // What the API says of the same document: the page must show each of its problems.
  const api_refusal = await api_upload(server, store.admin, broken);
  assert.equal(api_refusal.status, 400);
  const expected = api_refusal.body.error.details.map((d) => `${d.path || "(document)"}: ${d.message}`);
  assert.ok(expected.length >= 4, `the API found ${expected.length} problems: ${expected.join("; ")}`);
  assert.deepEqual(shown, expected);
  for (const pointer of ["/default_locale", "/questions/0/type", "/questions/1/required", "/questions/2/id"])
    assert.ok(
      shown.some((line) => line.startsWith(`${pointer}`)),
      `no problem at ${pointer} among:\n${shown.join("\n")}`,
    );
  // The text sent stays in the field, to be corrected.
  assert.deepEqual(JSON.parse(await page.getByLabel("Template JSON").inputValue()), broken);
  assert.deepEqual(await listed_versions(page), versions_before, "nothing was stored");
  assert.deepEqual(await api_get(server, "/api/v1/surveys", store.admin), api_versions_before);
  await check_with_axe(page, "the upload result with its problems");

  // A valid version 2: the page then lists both versions.
  const valid = structuredClone(shipped);
  valid.version = 2;
  await page.getByLabel("Template JSON").fill(JSON.stringify(valid));
  assert.equal(await post_form(page, page.getByRole("button", { name: "Check and store" })), 200);
  assert.equal(await page.getByRole("status").first().textContent(), "Template hr-service version 2: stored.");
  assert.deepEqual((await listed_versions(page))["hr-service"], [...versions_before["hr-service"], "2 (0)"]);
  await check_with_axe(page, "a template with its two versions");

  // The preview in each locale the template has, from its links.
  const previews = await page
    .locator("#h-templates ~ table a[hreflang]")
    .evaluateAll((links) => links.map((a) => [a.getAttribute("hreflang"), a.getAttribute("href")]));
  assert.deepEqual(
    previews.map(([lang]) => lang),
    shipped.locales,
  );
  for (const [lang, href] of previews) {
    assert.equal((await page.goto(server.url + href)).status(), 200);
    assert.equal(await html_lang(page), lang);
    assert.equal(await heading(page), shipped.title[lang]);
    assert.ok(await page.getByRole("button", { name: /./ }).last().isDisabled(), "the preview cannot be sent");
    await check_with_axe(page, `the preview in ${lang}`);
  }

  // A roster with bad lines: each is named, nothing is imported.
  await page.goto(`${server.url}/admin`);
  const staff_before = await api_get(server, "/api/v1/staff", store.admin);
  await page.getByLabel("Roster CSV").fill("id,name,team\ns-201,Pat Lee,benefits\n-bad,,payroll\ns-202,Kim,\n");
  assert.equal(await post_form(page, page.getByRole("button", { name: "Import" })), 400);
  const roster_problems = (await page.locator("#roster-problems li").allTextContents()).map((s) => s.trim());
  for (const pointer of ["/lines/3/id", "/lines/3/name", "/lines/4/team"])
    assert.ok(roster_problems.some((line) => line.startsWith(`${pointer}: `)), `no problem at ${pointer}`);
  assert.deepEqual(await api_get(server, "/api/v1/staff", store.admin), staff_before);
  await check_with_axe(page, "the roster import with its problems");

  // A new token, shown once.
  await page.getByLabel("Label (who holds it)").fill("Payroll lead");
  await page.getByLabel("Team (lead tokens only; empty: every team)").fill("Payroll");
  assert.equal(await post_form(page, page.getByRole("button", { name: "Create" })), 200);
  const secret = (await page.locator(".token-secret").textContent()).trim();
  assert.match(secret, /^hrs_/);
  await check_with_axe(page, "the token creation result");
});
