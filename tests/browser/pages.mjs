// What the browser tests do on the survey pages, as a respondent would: pick answers by
// clicking their labels, submit, and read what the page shows.

// A complete answer to hr-service in the invitation form (no staff question there).
export const valid_answers = {
  request_type: "benefits",
  importance: "4",
  courtesy: "5",
  timeliness: "4",
  quality: "3",
  expectations: "4",
};

// Picks each answer by clicking the label around its radio (the whole row is the
// target), and types `comment` when given.
export async function answer(page, answers, comment) {
  for (const [question, value] of Object.entries(answers)) {
    const radio = page.locator(`#q-${question} input[type="radio"][value="${value}"]`);
    const has = page.locator(`input[value="${value}"]`); // inside the label
    await page.locator(`#q-${question} label`, { has }).click();
    if (!(await radio.isChecked())) throw new Error(`clicking ${question}=${value} did not check it`);
  }
  if (comment !== undefined) await page.locator("#f-comment").fill(comment);
}

// The checked value of each radio group on the page: {question: value}.
export function checked_answers(page) {
  return page
    .locator('input[type="radio"]:checked')
    .evaluateAll((radios) => Object.fromEntries(radios.map((r) => [r.name, r.value])));
}

// Clicks the submit button and resolves to the HTTP status of the post (303 when stored,
// then the thank-you page), once the page it led to has loaded.
export async function submit(page) {
  const posted = page.waitForResponse((res) => res.request().method() === "POST");
  const loaded = page.waitForEvent("load");
  await page.locator(".submit button").click();
  const [res] = await Promise.all([posted, loaded]);
  return res.status();
}

// Turns the browser's own check of `required` off for this form, so that the post
// reaches the server as from a browser that does not check (or a form edited by hand):
// the server must refuse it and say why, whatever the browser did.
export async function skip_browser_checks(page) {
  await page.locator("form").evaluate((form) => {
    form.noValidate = true;
  });
}

export async function heading(page) {
  return (await page.locator("h1").textContent()).trim();
}

export function html_lang(page) {
  return page.locator("html").getAttribute("lang");
}

// The element that has the keyboard focus: {tag, type, name, value, text}.
export function focused(page) {
  return page.evaluate(() => {
    const e = document.activeElement;
    return {
      tag: e.tagName.toLowerCase(),
      type: e.getAttribute("type") ?? "",
      name: e.getAttribute("name") ?? "",
      value: e.value ?? "",
      text: e.textContent.trim(),
    };
  });
}
