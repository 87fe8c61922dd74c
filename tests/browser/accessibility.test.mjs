// axe-core (from npm) on every page a respondent can meet: the form in each language,
// the form with errors, the thank-you page, "already answered", "expired", an unknown
// link and the campaign form. Any violation fails, with what axe says and where.
//
// Run: node --test tests/browser/accessibility.test.mjs (after the dev build).

import assert from "node:assert/strict";
import { after, before, test } from "node:test";

import { check_with_axe } from "./axe.mjs";
import { answer, heading, skip_browser_checks, submit, valid_answers } from "./pages.mjs";
import { launch_browser, survey_world } from "./support.mjs";

let browser;
before(async () => {
  browser = await launch_browser();
});
after(async () => {
  await browser?.close();
});

for (const [label, context_options] of [
  ["desktop", { viewport: { width: 1280, height: 900 } }],
  ["phone", { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true }],
]) {
  test(`axe finds no violations on any survey page (${label})`, async (t) => {
    // The pages' CSP forbids every script, axe's too: it is injected with the CSP
    // bypassed, for these runs only (the other tests see the pages as served).
    const { store, server, context } = await survey_world(t, browser, {
      context_options: { ...context_options, bypassCSP: true },
      // An invitation whose expiry has passed, made before the server opens the store.
      prepare: async (s) => {
        const expired = await s.invite({ locale: "it" });
        await s.expire(expired.id);
        return { expired: expired.token };
      },
    });
    const page = await context.newPage();
    const visit = async (path, status, title) => {
      const res = await page.goto(server.url + path);
      assert.equal(res.status(), status, path);
      assert.equal(await heading(page), title, path);
    };
    const { token } = await store.invite();

    const titles = {
      en: "How did HR do?",
      it: "Com'è andata con le Risorse Umane?",
      es: "¿Qué tal fue tu experiencia con Recursos Humanos?",
      ro: "Cum a fost experiența cu departamentul de Resurse Umane?",
      "zh-Hant": "人力資源部服務滿意度調查",
    };
    for (const [lang, title] of Object.entries(titles)) {
      await visit(`/s/${token}?lang=${lang}`, 200, title);
      await check_with_axe(page, `the form in ${lang}`);
    }

    await visit(`/s/${token}`, 200, titles.en);
    const { courtesy, ...without_courtesy } = valid_answers;
    await answer(page, without_courtesy, "Fine.");
    await skip_browser_checks(page);
    assert.equal(await submit(page), 400);
    assert.equal(await page.locator(".error").count(), 1);
    await check_with_axe(page, "the form with an error");

    await answer(page, { courtesy });
    assert.equal(await submit(page), 303);
    assert.equal(await heading(page), "Thank you");
    await check_with_axe(page, "the thank-you page");

    await visit(`/s/${token}`, 409, "Already answered");
    await check_with_axe(page, "already answered");

    await visit(`/s/${store.prepared.expired}`, 410, "Questo link è scaduto");
    await check_with_axe(page, "expired (in the invitation's Italian)");

    await visit("/s/AAAAAAAAAAAAAAAAAAAAAA", 404, "Page not found");
    await check_with_axe(page, "an unknown link");

    await visit("/c/hr-service", 200, titles.en);
    await check_with_axe(page, "the campaign form");
    await visit("/c/hr-service?q=nobody-by-this-name", 200, titles.en);
    assert.equal(await page.getByRole("status").count(), 1, "the search says it found no one");
    await check_with_axe(page, "the campaign form, a search that finds no one");
  });
}
