// The survey pages in a real browser (Debian's chromium through playwright-core), served
// by the real hrsurvey binary from a demo store: what an employee does with the link
// from their ticket, on a desktop, by keyboard, on a phone, in their language.
//
// Run: node --test tests/browser/survey_pages.test.mjs (after the dev build).

import assert from "node:assert/strict";
import { after, before, test } from "node:test";

import { answer, checked_answers, focused, heading, html_lang, skip_browser_checks, submit, valid_answers } from "./pages.mjs";
import { api_get, launch_browser, survey_world } from "./support.mjs";

let browser;
before(async () => {
  browser = await launch_browser();
});
after(async () => {
  await browser?.close();
});

// The day as the reports count it (UTC), `days_back` days ago.
function utc_day(days_back = 0) {
  return new Date(Date.now() - days_back * 86_400_000).toISOString().slice(0, 10);
}

test("an employee answers by keyboard alone and the answers reach the HR lead's report", async (t) => {
  const { store, server, context } = await survey_world(t, browser, { responses: 2000 });
  const page = await context.newPage();
  const { token } = await store.invite({ staff: ["s-101"], locale: "en" });
  // A year of s-101's demo responses: well above the anonymity threshold, so the report
  // shows its histograms and comments.
  const scorecard = `/api/v1/reports/staff/s-101?from=${utc_day(364)}&to=${utc_day()}`;
  const before_answer = await api_get(server, scorecard, store.lead);

  await page.goto(`${server.url}/s/${token}`);
  // Tab from the top of the page (past the language switcher) to the first question.
  for (let presses = 0; (await focused(page)).name !== "request_type"; presses++) {
    assert.ok(presses < 12, "Tab never reaches the first question");
    await page.keyboard.press("Tab");
  }
  // Each question is one Tab stop; arrow keys or Space pick within it. On a group with
  // nothing picked, Tab lands on its first point: Space picks it, an arrow key moves to
  // the next one and picks that.
  const steps = [
    ["request_type", ["ArrowDown"], "payroll"],
    ["importance", ["ArrowRight", "ArrowRight"], "3"],
    ["courtesy", ["ArrowRight", "ArrowRight", "ArrowRight", "ArrowRight"], "5"],
    ["timeliness", ["ArrowRight", "ArrowRight", "ArrowLeft"], "2"],
    ["quality", ["Space"], "1"],
    ["expectations", ["ArrowRight", "ArrowRight"], "3"],
  ];
  for (const [index, [question, keys, value]] of steps.entries()) {
    if (index > 0) await page.keyboard.press("Tab");
    const at = await focused(page);
    assert.deepEqual([at.type, at.name], ["radio", question], `one Tab goes on to ${question}`);
    for (const key of keys) await page.keyboard.press(key);
    assert.equal((await checked_answers(page))[question], value, `${keys.join(", ")} picks ${question}=${value}`);
  }
  const comment = `Sorted out my payslip in a day, thanks! (${token.slice(0, 6)})`;
  await page.keyboard.press("Tab");
  assert.equal((await focused(page)).name, "comment");
  await page.keyboard.type(comment);
  await page.keyboard.press("Tab");
  const button = await focused(page);
  assert.deepEqual([button.tag, button.text], ["button", "Send my answers"]);
  assert.deepEqual(await checked_answers(page), Object.fromEntries(steps.map(([q, , v]) => [q, v])));

  const loaded = page.waitForEvent("load");
  await page.keyboard.press("Enter");
  await loaded;
  assert.equal(new URL(page.url()).pathname, "/thanks/hr-service");
  assert.equal(await heading(page), "Thank you");

  // The lead's scorecard of s-101 counts exactly this one more response, each rating at
  // the point picked; the comment is listed word for word.
  const after_answer = await api_get(server, scorecard, store.lead);
  const picked = { courtesy: 5, timeliness: 2, quality: 1, expectations: 3 };
  for (const [dimension, point] of Object.entries(picked)) {
    const expected = [...before_answer.dimensions[dimension].histogram];
    expected[point - 1] += 1;
    assert.deepEqual(after_answer.dimensions[dimension].histogram, expected, `${dimension} counts a ${point}`);
  }
  const comments = await api_get(
    server,
    `/api/v1/reports/staff/s-101/comments?from=${utc_day(364)}&to=${utc_day()}`,
    store.lead,
  );
  assert.deepEqual(
    comments.comments.filter((c) => c.text === comment).map((c) => [c.date, c.locale, c.question]),
    [[utc_day(), "en", "comment"]],
  );
});

test("a form missing a required rating is refused with the error next to it, answers kept", async (t) => {
  const { store, server, context } = await survey_world(t, browser);
  const page = await context.newPage();
  const { token } = await store.invite();
  await page.goto(`${server.url}/s/${token}`);
  const partial = { request_type: "leave", importance: "2", timeliness: "4", quality: "5", expectations: "3" };
  const comment = "Line one\nLine two, with ümlauts & “quotes”";
  await answer(page, partial, comment);

  // The browser itself holds the form back (the ratings carry `required`) and takes the
  // focus to the unanswered question: nothing is posted.
  let posts = 0;
  page.on("request", (req) => {
    if (req.method() === "POST") posts += 1;
  });
  await page.locator(".submit button").click();
  assert.deepEqual(await focused(page).then((f) => [f.name, f.value]), ["courtesy", "1"]);
  assert.equal(await page.locator('input[name="courtesy"]:invalid').count(), 5);
  assert.equal(posts, 0);

  // Posted anyway, the server refuses it (400) and says why next to the question.
  await skip_browser_checks(page);
  assert.equal(await submit(page), 400);
  const courtesy = page.locator("#q-courtesy");
  assert.equal((await courtesy.locator(".error").textContent()).trim(), "Please answer this question.");
  const described_by = (await courtesy.getAttribute("aria-describedby")).split(" ");
  assert.ok(described_by.includes(await courtesy.locator(".error").getAttribute("id")), "the error describes its question");
  assert.equal(await page.locator(".question .error").count(), 1, "no other question is in error");
  // Everything given before is still there.
  assert.deepEqual(await checked_answers(page), partial);
  assert.equal(await page.locator("#f-comment").inputValue(), comment);
  // The summary at the top says so and leads to the question.
  const summary = page.getByRole("alert");
  assert.match(await summary.textContent(), /Some answers need your attention/);
  await summary.getByRole("link", { name: "How would you rate the courtesy and respect you were shown?" }).click();
  assert.equal(new URL(page.url()).hash, "#q-courtesy");

  // Completed, it goes through.
  await answer(page, { courtesy: "4" });
  assert.equal(await submit(page), 303);
  assert.equal(new URL(page.url()).pathname, "/thanks/hr-service");
  assert.equal(await heading(page), "Thank you");
});

test("an invitation takes one response: a second submit and a second visit say 'already answered'", async (t) => {
  const { store, server, context } = await survey_world(t, browser, { responses: 2000 });
  const { token } = await store.invite({ staff: ["s-101"], locale: "en" });
  const scorecard = `/api/v1/reports/staff/s-101?from=${utc_day(364)}&to=${utc_day()}`;
  const n_before = (await api_get(server, scorecard, store.lead)).dimensions.courtesy.n;

  // The same link open in two tabs, both filled in. (A tab in the background gets no
  // animation frames, which Playwright's clicks wait for: each is brought to the front.)
  const first = await context.newPage();
  const second = await context.newPage();
  for (const page of [first, second]) {
    await page.bringToFront();
    await page.goto(`${server.url}/s/${token}`);
    await answer(page, valid_answers, "Twice?");
  }
  await first.bringToFront();
  assert.equal(await submit(first), 303);
  assert.equal(await heading(first), "Thank you");

  await second.bringToFront();
  assert.equal(await submit(second), 409);
  assert.equal(await heading(second), "Already answered");
  assert.match(await second.locator("main").textContent(), /each link takes one response/);

  await first.bringToFront();
  const again = await first.goto(`${server.url}/s/${token}`);
  assert.equal(again.status(), 409);
  assert.equal(await heading(first), "Already answered");
  assert.equal(await first.locator("form").count(), 0);

  assert.equal((await api_get(server, scorecard, store.lead)).dimensions.courtesy.n, n_before + 1);
});

test("the language switcher shows the form in Italian, and it is answered in Italian", async (t) => {
  const { store, server, context } = await survey_world(t, browser);
  const page = await context.newPage();
  await page.goto(`${server.url}/s/${store.english_invitation}`);
  assert.equal(await html_lang(page), "en");

  const switcher = page.getByRole("navigation", { name: "Language" });
  await switcher.getByRole("link", { name: "Italiano" }).click();
  await page.waitForURL(/\?lang=it$/);
  assert.equal(await html_lang(page), "it");
  assert.equal(await heading(page), "Com'è andata con le Risorse Umane?");
  assert.equal(await page.title(), "Com'è andata con le Risorse Umane?");
  assert.match(await page.locator("#q-courtesy legend").textContent(), /\(obbligatoria\)/);
  assert.equal((await page.locator(".submit button").textContent()).trim(), "Invia le risposte");
  // The current language is said, not linked; the switcher now names the others.
  const italian = page.getByRole("navigation", { name: "Lingua" });
  assert.equal(await italian.locator('[aria-current="true"]').textContent(), "Italiano");
  assert.equal(await italian.getByRole("link", { name: "Italiano" }).count(), 0);
  assert.equal(await italian.getByRole("link", { name: "English" }).count(), 1);

  // Sent with Space on the button this time.
  await answer(page, valid_answers);
  await page.locator(".submit button").focus();
  const loaded = page.waitForEvent("load");
  await page.keyboard.press("Space");
  await loaded;
  assert.equal(new URL(page.url()).pathname, "/thanks/hr-service");
  assert.equal(await html_lang(page), "it");
  assert.equal(await heading(page), "Grazie");
});

test("an invitation that names no language is shown in the browser's, and answered in it", async (t) => {
  const { store, server, context } = await survey_world(t, browser, {
    context_options: { locale: "ro-RO" }, // the browser's Accept-Language: ro-RO
  });
  const { token } = await store.invite({ locale: null });
  const page = await context.newPage();
  await page.goto(`${server.url}/s/${token}`);
  assert.equal(await html_lang(page), "ro");
  assert.equal(await heading(page), "Cum a fost experiența cu departamentul de Resurse Umane?");
  await answer(page, valid_answers);
  assert.equal(await submit(page), 303);
  assert.equal(await html_lang(page), "ro");

  // An invitation in Italian stays Italian for the same browser.
  const italian = await store.invite({ locale: "it" });
  await page.goto(`${server.url}/s/${italian.token}`);
  assert.equal(await html_lang(page), "it");
});

test("markup typed into the form comes back as text and runs nothing", async (t) => {
  const { store, server, context } = await survey_world(t, browser);
  // Once as served (the CSP forbids every script), once with the CSP bypassed, so that
  // the escaping alone is tested: without it a broken escape would still run nothing.
  const plain = context;
  const no_csp = await browser.newContext({ bypassCSP: true });
  t.after(() => no_csp.close());
  const comment =
    '</textarea><script>window.__pwned = 1; alert("script")</script>' +
    '<img src="/x" onerror="window.__pwned = 2; alert(\'img\')"> <b>bold</b> & "quotes"';
  const search = '"><img src="/y" onerror="window.__pwned = 3; alert(\'search\')">';

  for (const [label, ctx] of [["with the CSP", plain], ["without the CSP", no_csp]]) {
    const page = await ctx.newPage();
    const dialogs = [];
    page.on("dialog", (dialog) => {
      dialogs.push(dialog.message());
      dialog.dismiss().catch(() => {});
    });

    // The comment, in a form sent back for a missing rating.
    const { token } = await store.invite();
    await page.goto(`${server.url}/s/${token}`);
    const { courtesy, ...without_courtesy } = valid_answers;
    await answer(page, without_courtesy, comment);
    await skip_browser_checks(page);
    assert.equal(await submit(page), 400, label);
    assert.equal(await page.locator("#f-comment").inputValue(), comment, `${label}: the comment is shown as typed`);

    // The campaign form's staff search, which shows the search text again.
    await page.goto(`${server.url}/c/hr-service`);
    await page.getByRole("searchbox").fill(search);
    const loaded = page.waitForEvent("load");
    await page.locator('button[name="_action"][value="search"]').click();
    await loaded;
    assert.equal(await page.getByRole("searchbox").inputValue(), search, `${label}: the search is shown as typed`);

    // Each page's "load" waited for its images, so an onerror handler would have run.
    assert.equal(await page.evaluate(() => typeof window.__pwned), "undefined", label);
    assert.equal(await page.locator("img, script, b").count(), 0, label);
    assert.deepEqual(dialogs, [], label);
  }
});

test("on a 360 px phone the form fits the screen and every target is at least 44 px tall", async (t) => {
  const { store, server, context } = await survey_world(t, browser, {
    context_options: { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 },
  });
  const page = await context.newPage();
  const { token } = await store.invite();

  const check_layout = async (what) => {
    const width = await page.evaluate(() => document.scrollingElement.scrollWidth);
    assert.ok(width <= 360, `${what}: no horizontal scroll (scrollWidth ${width})`);
    // Every target's box, measured in the page at once.
    const boxes = await page
      .locator(".point, .option, button, textarea, input[type='search'], .languages a")
      .evaluateAll((targets) =>
        targets.map((e) => {
          const box = e.getBoundingClientRect();
          const name = `${e.tagName.toLowerCase()}.${e.className} "${e.textContent.trim().slice(0, 30)}"`;
          return { name, left: box.left, right: box.right, height: box.height };
        }),
      );
    assert.ok(boxes.length > 0, what);
    for (const { name, left, right, height } of boxes) {
      assert.ok(height >= 44, `${what}: ${name} is ${height} px tall`);
      assert.ok(left >= 0 && right <= 360, `${what}: ${name} lies within the screen`);
    }
  };

  for (const lang of ["en", "it", "es", "ro", "zh-Hant"]) {
    await page.goto(`${server.url}/s/${token}?lang=${lang}`);
    await check_layout(`the form in ${lang}`);
  }
  await page.goto(`${server.url}/s/${token}`);
  // A tap anywhere on a point's row picks it (here on its label text, not the radio).
  await page.locator("#q-courtesy .point-label", { hasText: "Excellent" }).tap();
  assert.equal((await checked_answers(page)).courtesy, "5");
  await answer(page, { importance: "3" });
  await skip_browser_checks(page);
  assert.equal(await submit(page), 400);
  await check_layout("the form with errors");

  await page.goto(`${server.url}/c/hr-service`);
  await check_layout("the campaign form with the staff picker");
});
