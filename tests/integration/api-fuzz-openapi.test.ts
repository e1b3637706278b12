// Every operation in the OpenAPI document, fed generated input: bodies shaped by the
// operation's own schema with each value drawn from valid, edge and hostile values, plus
// arbitrary JSON, for queries and path parameters too. The whole run counts answers of
// 500 and above: there must be none. Operations added later are fuzzed without a change
// here, because the list comes from the document the app serves.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiApp } from "../../lib/api/app";
import { resetApiAuthState } from "../../lib/api/auth";
import { createEndpoint } from "../../lib/endpoints/registry";
import { tenantWithKey, type Api } from "../helpers/api";
import { createTestDatabase, type TestDatabase } from "../helpers/database";

process.env.API_RATE_LIMIT_BURST = "1000000";
const RUNS_PER_OPERATION = Number(process.env.FUZZ_RUNS ?? 100);

interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  enum?: unknown[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  $ref?: string;
}
interface Operation {
  method: string;
  path: string;
  parameters: { name: string; in: string; schema?: JsonSchema }[];
  body?: JsonSchema;
}

const hostileString = fc.constantFrom(
  "",
  " ",
  "\u0000",
  "a\u0000b",
  "\ud800",
  "😀".repeat(100),
  "x".repeat(5000),
  "../../etc/passwd",
  "%00",
  "GET /*",
  "<script>alert(1)</script>",
  "'; DROP TABLE tenants; --",
  "=cmd|' /C calc'!A0",
  "__proto__",
  "lnbc1",
  "L402 AgEJ:00",
);
const hostileNumber = fc.constantFrom(0, -1, 1.5, 2 ** 31, 2 ** 53 + 2, -(2 ** 63), 1e308, Number.MAX_SAFE_INTEGER);

/** A value for a schema: mostly of the right type (valid, edge or hostile), sometimes anything. */
function valueFor(schema: JsonSchema | undefined, depth = 0): fc.Arbitrary<unknown> {
  const anything = fc.jsonValue({ maxDepth: 2 });
  if (!schema || depth > 3) return anything;
  const choices = schema.anyOf ?? schema.oneOf;
  if (choices) return fc.oneof(...choices.map((choice) => valueFor(choice, depth + 1)));
  if (schema.enum) return fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...schema.enum) }, { weight: 1, arbitrary: anything });
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  const typed = (() => {
    switch (type) {
      case "string":
        return fc.oneof(fc.string({ maxLength: schema.maxLength ?? 80 }), hostileString, fc.string({ unit: "binary", maxLength: 40 }));
      case "integer":
      case "number":
        return fc.oneof(fc.integer({ min: schema.minimum ?? -10, max: Math.min(schema.maximum ?? 10_000, 2 ** 31) }), hostileNumber);
      case "boolean":
        return fc.boolean();
      case "array":
        return fc.array(valueFor(schema.items, depth + 1), { maxLength: 4 });
      case "object": {
        const properties = Object.entries(schema.properties ?? {});
        return fc.record(Object.fromEntries(properties.map(([name, sub]) => [name, valueFor(sub, depth + 1)])), { requiredKeys: [] });
      }
      default:
        return anything;
    }
  })();
  return fc.oneof({ weight: 5, arbitrary: typed }, { weight: 1, arbitrary: anything });
}

/** A lone surrogate cannot be percent-encoded; a client would send U+FFFD. */
const wellFormed = (text: string) => text.replace(/[\ud800-\udfff]/gu, "\ufffd");
const asText = (value: unknown) => (typeof value === "string" ? value : (JSON.stringify(value) ?? ""));

function operationsOf(document: {
  paths: Record<
    string,
    Record<string, { parameters?: Operation["parameters"]; requestBody?: { content?: Record<string, { schema?: JsonSchema }> } }>
  >;
}): Operation[] {
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      operations.push({
        method: method.toUpperCase(),
        path,
        parameters: operation.parameters ?? [],
        body: operation.requestBody?.content?.["application/json"]?.schema,
      });
    }
  }
  return operations;
}

let t: TestDatabase;
let app: Api;
let key: string;
let endpointId: string;
beforeAll(async () => {
  t = await createTestDatabase();
  resetApiAuthState();
  app = createApiApp();
  const owner = await tenantWithKey(t.db);
  key = owner.key;
  endpointId = (await createEndpoint(t.db, owner.tenant.id, { method: "GET", path: "/premium", priceSats: 10 })).id;
});
afterAll(async () => {
  delete process.env.API_RATE_LIMIT_BURST;
  await t?.drop();
});

describe("fuzzing the OpenAPI document's operations", () => {
  it("no generated request gets a 5xx", async () => {
    const document = await (await app.request("/api/v1/openapi.json")).json();
    const operations = operationsOf(document);
    expect(operations.length).toBeGreaterThan(10);
    const serverErrors: string[] = [];
    let requests = 0;
    for (const operation of operations) {
      const pathParams = operation.parameters.filter((p) => p.in === "path");
      const queryParams = operation.parameters.filter((p) => p.in === "query");
      const input = fc.record({
        // Path parameters: a real id sometimes, so the handler behind the lookup runs too.
        path: fc.record(
          Object.fromEntries(pathParams.map((p) => [p.name, fc.oneof(fc.constant(endpointId), valueFor(p.schema).map(asText))])),
        ),
        query: fc.record(Object.fromEntries(queryParams.map((p) => [p.name, valueFor(p.schema).map(asText)])), { requiredKeys: [] }),
        body: operation.body ? valueFor(operation.body) : fc.option(fc.jsonValue({ maxDepth: 2 }), { nil: undefined }),
      });
      await fc.assert(
        fc.asyncProperty(input, async ({ path, query, body }) => {
          let url = operation.path;
          for (const [name, value] of Object.entries(path)) url = url.replace(`{${name}}`, encodeURIComponent(wellFormed(value as string)));
          const search = new URLSearchParams(query as Record<string, string>).toString();
          const hasBody = body !== undefined && operation.method !== "GET";
          const response = await app.request(`${url}${search ? `?${search}` : ""}`, {
            method: operation.method,
            headers: { authorization: `Bearer ${key}`, ...(hasBody ? { "content-type": "application/json" } : {}) },
            body: hasBody ? JSON.stringify(body) : undefined,
          });
          requests++;
          if (response.status >= 500) {
            serverErrors.push(
              `${response.status} ${operation.method} ${url}?${search} ${JSON.stringify(body)?.slice(0, 120)}: ${(await response.text()).slice(0, 160)}`,
            );
          } else {
            await response.arrayBuffer();
          }
        }),
        { numRuns: RUNS_PER_OPERATION },
      );
    }
    console.log(`fuzzed ${operations.length} operations with ${requests} requests`);
    expect(requests).toBeGreaterThan(operations.length * RUNS_PER_OPERATION * 0.9);
    expect(serverErrors).toEqual([]);
  }, 300_000);
});
