/**
 * Runs the example API: TOLLBOOTH_API_KEY=tb_test_… npx tsx examples/express-api/server.ts
 * PORT (default 4000), TOLLBOOTH_URL (default http://localhost:3000).
 */
import { createApp } from "./app";

const apiKey = process.env.TOLLBOOTH_API_KEY;
if (!apiKey) {
  console.error(
    [
      "TOLLBOOTH_API_KEY is not set.",
      "Start Tollbooth with `npm run dev` at the repository root, copy the test API key it prints (tb_test_…), then run:",
      "  TOLLBOOTH_API_KEY=tb_test_… npx tsx examples/express-api/server.ts",
    ].join("\n"),
  );
  process.exit(1);
}
const baseUrl = process.env.TOLLBOOTH_URL ?? "http://localhost:3000";
const port = Number(process.env.PORT ?? 4000);

const server = createApp({ apiKey, baseUrl }).listen(port, () => {
  const address = server.address();
  const actualPort = typeof address === "object" && address ? address.port : port;
  console.log(`Example API on http://localhost:${actualPort} (Tollbooth at ${baseUrl})`);
  console.log(`  curl -i http://localhost:${actualPort}/premium`);
});
server.on("error", (error) => {
  console.error(`Could not start the example API on port ${port}: ${error.message}`);
  process.exit(1);
});
