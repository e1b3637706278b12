/**
 * A stand-in for a language model: it "answers" a prompt with text picked deterministically
 * from the prompt (the same prompt, the same answer), of a length that varies with it. What
 * matters here is that its output has a real number of tokens, counted, not made up.
 */
import { createHash } from "node:crypto";

const SENTENCES = [
  "Lightning payments settle in seconds and cost a fraction of a cent.",
  "A prepaid balance lets an agent pay once and call many times.",
  "Each call is charged for the tokens it really produced, not a flat guess.",
  "The macaroon binds the credential to the payment hash of its invoice.",
  "When the balance runs low, the next answer is a top-up invoice.",
  "Unspent sats stay the payer's until a call uses them.",
  "Metered prices fit work whose cost is only known after it is done.",
  "Twenty short answers cost less than one long one.",
];

/** Words and punctuation marks, as a simple tokenizer counts them. */
export function countTokens(text: string): number {
  return text.match(/[A-Za-z0-9']+|[^\sA-Za-z0-9']/g)?.length ?? 0;
}

export function complete(prompt: string): { text: string; outputTokens: number } {
  const digest = createHash("sha256").update(prompt).digest();
  const sentences = 1 + (digest[0]! % 6);
  const text = Array.from({ length: sentences }, (_, i) => SENTENCES[digest[i + 1]! % SENTENCES.length]).join(" ");
  return { text, outputTokens: countTokens(text) };
}
