#!/usr/bin/env node
// Checks survey_defs/survey.schema.json against the shipped templates.
//
// 1. Compiles the schema with ajv (draft 2020-12) in strict mode, so that a typo in a
//    keyword is an error, not a silently ignored annotation.
// 2. Validates every survey_defs/*.json except the schema itself; each must pass.
// 3. Validates deliberately broken templates; the schema must reject each of them.
//
// Prints every problem as `file: /json/pointer: message`, then a last line
// "N passed, M failed" (one check per file or case), and exits 1 on any failure.
//
// Usage: node tests/schema/check_templates.mjs
// The repo root is two levels above this script; HRS_ROOT overrides it.

import { readFileSync, readdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import Ajv2020 from "ajv/dist/2020.js";

const scriptDir = dirname(fileURLToPath(import.meta.url));
const root = process.env.HRS_ROOT ? resolve(process.env.HRS_ROOT) : resolve(scriptDir, "..", "..");
const defsDir = join(root, "survey_defs");
const schemaFile = "survey.schema.json";

let passed = 0;
let failed = 0;

function pass(name) {
  passed += 1;
  console.log(`ok   ${name}`);
}

function fail(name, lines) {
  failed += 1;
  console.log(`FAIL ${name}`);
  for (const line of lines) console.log(`  ${line}`);
}

// The JSON pointer of the offending value; for a bad property name (propertyNames),
// the pointer of that property, e.g. /questions/2/labels/6.
function pointer(error) {
  const path = error.instancePath ?? "";
  return error.propertyName === undefined ? path : `${path}/${error.propertyName}`;
}

// ajv reports a failed "if"/"then" and a failed propertyNames twice: once for the
// offending keyword and once for the wrapper. Only the first says something useful.
function relevant(errors) {
  return errors.filter((error) => error.keyword !== "if" && error.keyword !== "propertyNames");
}

function describe(error) {
  let message = error.message ?? "invalid";
  if (error.keyword === "additionalProperties") {
    message = `unknown key "${error.params.additionalProperty}"`;
  } else if (error.keyword === "false schema") {
    message = "not allowed for this question type";
  } else if (error.keyword === "enum") {
    message += `: ${error.params.allowedValues.join(", ")}`;
  }
  return `${pointer(error) || "/"}: ${message}`;
}

function finish() {
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed > 0 ? 1 : 0);
}

// --- compile the schema -------------------------------------------------------------

let validate;
try {
  const schema = JSON.parse(readFileSync(join(defsDir, schemaFile), "utf8"));
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  validate = ajv.compile(schema);
  pass(`${schemaFile} compiles (strict)`);
} catch (e) {
  fail(`${schemaFile} compiles (strict)`, [String(e.message ?? e)]);
  finish();
}

// --- shipped templates --------------------------------------------------------------

const templates = readdirSync(defsDir)
  .filter((name) => name.endsWith(".json") && name !== schemaFile)
  .sort();

if (templates.length === 0) {
  fail("survey_defs has templates", [`no *.json template in ${defsDir}`]);
}

for (const name of templates) {
  let document;
  try {
    document = JSON.parse(readFileSync(join(defsDir, name), "utf8"));
  } catch (e) {
    fail(name, [`${name}: : ${e.message}`]);
    continue;
  }
  if (validate(document)) {
    pass(name);
  } else {
    fail(name, relevant(validate.errors).map((error) => `${name}: ${describe(error)}`));
  }
}

// --- broken templates the schema must reject ----------------------------------------

function base() {
  return {
    id: "broken",
    version: 1,
    default_locale: "en",
    locales: ["en", "it"],
    title: { en: "Broken", it: "Rotto" },
    questions: [
      { id: "courtesy", type: "rating", dimension: "courtesy", required: true, text: "How courteous?" },
      {
        id: "topic",
        type: "choice",
        segment: true,
        text: "Topic?",
        options: [{ id: "pay", label: "Pay" }],
      },
      { id: "comment", type: "text", max_length: 2000, text: "Anything else?" },
      { id: "staff", type: "staff", text: "Who helped you?" },
    ],
  };
}

// Each case: a label, a change to a valid template, and the JSON pointer that the
// schema must report, so that a case is rejected for the intended reason.
const broken = [
  ["unknown top-level key", "", (t) => { t.colour = "blue"; }],
  ["unknown question key", "/questions/0", (t) => { t.questions[0].weight = 2; }],
  ["rating label \"6\"", "/questions/0/labels/6", (t) => { t.questions[0].labels = { 1: "Bad", 6: "Too good" }; }],
  ["choice without options", "/questions/1", (t) => { delete t.questions[1].options; }],
  ["choice with empty options", "/questions/1/options", (t) => { t.questions[1].options = []; }],
  ["segment on a text question", "/questions/2/segment", (t) => { t.questions[2].segment = true; }],
  ["segment on a staff question", "/questions/3/segment", (t) => { t.questions[3].segment = true; }],
  ["dimension on a choice question", "/questions/1/dimension", (t) => { t.questions[1].dimension = "topic"; }],
  ["options on a rating question", "/questions/0/options", (t) => { t.questions[0].options = [{ id: "a", label: "A" }]; }],
  ["max_length on a rating question", "/questions/0/max_length", (t) => { t.questions[0].max_length = 100; }],
  ["max_length 0", "/questions/2/max_length", (t) => { t.questions[2].max_length = 0; }],
  ["max_length above 10000", "/questions/2/max_length", (t) => { t.questions[2].max_length = 10001; }],
  ["unknown question type", "/questions/0/type", (t) => { t.questions[0].type = "slider"; }],
  ["missing questions", "", (t) => { delete t.questions; }],
  ["version 0", "/version", (t) => { t.version = 0; }],
  ["bad locale tag", "/locales/1", (t) => { t.locales[1] = "italian!"; }],
  ["empty localized text", "/title", (t) => { t.title = {}; }],
  ["empty string text", "/questions/0/text", (t) => { t.questions[0].text = ""; }],
  ["\"$schema\" key", "", (t) => { t.$schema = "./survey.schema.json"; }],
];

// The base itself must be valid, or the cases below prove nothing.
if (validate(base())) {
  pass("broken-case base is valid");
} else {
  fail("broken-case base is valid", relevant(validate.errors).map((error) => `base: ${describe(error)}`));
}

for (const [label, expected, mutate] of broken) {
  const template = base();
  mutate(template);
  const name = `rejects: ${label}`;
  if (validate(template)) {
    fail(name, ["the schema accepted a broken template"]);
    continue;
  }
  const errors = relevant(validate.errors);
  if (errors.some((error) => pointer(error) === expected)) {
    pass(name);
  } else {
    fail(name, [
      `rejected, but no error at "${expected}":`,
      ...errors.map((error) => `  ${describe(error)}`),
    ]);
  }
}

finish();
