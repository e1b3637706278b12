export default function Home() {
  return (
    <main style={{ fontFamily: "system-ui", maxWidth: "34rem", margin: "2rem auto", padding: "0 1rem" }}>
      <h1>Tollbooth Next.js example</h1>
      <p>
        <a href="/api/premium">/api/premium</a> costs 10 sats a call (open it to see the payment page).{" "}
        <a href="/.well-known/l402.json">/.well-known/l402.json</a> lists the prices.
      </p>
    </main>
  );
}
