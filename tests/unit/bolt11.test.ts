/**
 * BOLT11 encoder/signer and basic decoder (lib/lightning/bolt11.ts).
 *
 * The strongest check is the spec itself: the examples in BOLT 11
 * (lightning/bolts 11-payment-encoding.md) are signed with a published private key
 * and RFC 6979 signatures are deterministic, so reproducing those strings exactly
 * proves tag order, field encodings, amount, signing hash and signature layout.
 * Then two independent decoders from npm (bolt11, light-bolt11-decoder) must read
 * what we write.
 */

import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, hexToBytes } from "@noble/hashes/utils.js";
import bolt11 from "bolt11";
import { decode as lightDecode } from "light-bolt11-decoder";
import * as tinySecp256k1 from "tiny-secp256k1";
import { describe, expect, it } from "vitest";
import {
  FEATURE,
  createNobleSigner,
  createSigner,
  decodeInvoiceBasic,
  encodeAmount,
  encodeInvoice,
  type Bolt11Network,
  type Bolt11Signer,
  type InvoiceFields,
} from "@/lib/lightning/bolt11";
import { createTinySecp256k1Signer } from "@/lib/lightning/bolt11-signer-tiny-secp256k1";
import { invoiceSigningHash } from "@/lib/lightning/bolt11-signing-hash";

// The BOLT 11 example key and its node id.
const SPEC_PRIVATE_KEY = hexToBytes("e126f68f7eafcc8b74f54d269fe206be715000f94dac067d1c04a8ca3b2db734");
const SPEC_NODE_ID = "03e7156ae33b0a208d0744199163177e909e80176e55d97a2f221ede0f934dd9ad";
const SPEC_PAYMENT_HASH = hexToBytes("0001020304050607080900010203040506070809000102030405060708090102");
const SPEC_TIMESTAMP = 1496314658;
const SPEC_LONG_DESCRIPTION =
  "One piece of chocolate cake, one icecream cone, one pickle, one slice of swiss cheese, one slice of salami, one lollypop, one piece of cherry pie, one sausage, one cupcake, and one slice of watermelon";

const signers: Array<[string, Bolt11Signer]> = [
  ["tiny-secp256k1", createTinySecp256k1Signer(SPEC_PRIVATE_KEY)],
  ["noble", createNobleSigner(SPEC_PRIVATE_KEY)],
];

interface SpecExample {
  title: string;
  fields: InvoiceFields;
  invoice: string;
}

// Invoice strings copied verbatim from BOLT 11's "Examples" section.
const SPEC_EXAMPLES: SpecExample[] = [
  {
    title: "donation of any amount (amountless, description)",
    fields: {
      network: "mainnet",
      timestamp: SPEC_TIMESTAMP,
      paymentHash: SPEC_PAYMENT_HASH,
      description: "Please consider supporting this project",
    },
    invoice:
      "lnbc1pvjluezpp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqdpl2pkx2ctnv5sxxmmwwd5kgetjypeh2ursdae8g6twvus8g6rfwvs8qun0dfjkxaq8rkx3yf5tcsyz3d73gafnh3cax9rn449d9p5uxz9ezhhypd0elx87sjle52x86fux2ypatgddc6k63n7erqz25le42c4u4ecky03ylcqca784w",
  },
  {
    title: "$3 for a cup of coffee within one minute (2500u, expiry)",
    fields: {
      network: "mainnet",
      amountMsat: 250_000_000n,
      timestamp: SPEC_TIMESTAMP,
      paymentHash: SPEC_PAYMENT_HASH,
      description: "1 cup coffee",
      expirySeconds: 60,
    },
    invoice:
      "lnbc2500u1pvjluezpp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqdq5xysxxatsyp3k7enxv4jsxqzpuaztrnwngzn3kdzw5hydlzf03qdgm2hdq27cqv3agm2awhz5se903vruatfhq77w3ls4evs3ch9zw97j25emudupq63nyw24cg27h2rspfj9srp",
  },
  {
    title: "0.0025 BTC for a cup of nonsense (UTF-8 description)",
    fields: {
      network: "mainnet",
      amountMsat: 250_000_000n,
      timestamp: SPEC_TIMESTAMP,
      paymentHash: SPEC_PAYMENT_HASH,
      description: "ナンセンス 1杯",
      expirySeconds: 60,
    },
    invoice:
      "lnbc2500u1pvjluezpp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqdpquwpc4curk03c9wlrswe78q4eyqc7d8d0xqzpuyk0sg5g70me25alkluzd2x62aysf2pyy8edtjeevuv4p2d5p76r4zkmneet7uvyakky2zr4cusd45tftc9c5fh0nnqpnl2jfll544esqchsrny",
  },
  {
    title: "$24 for an entire list of things (20m, description hash)",
    fields: {
      network: "mainnet",
      amountMsat: 2_000_000_000n,
      timestamp: SPEC_TIMESTAMP,
      paymentHash: SPEC_PAYMENT_HASH,
      descriptionHash: sha256(new TextEncoder().encode(SPEC_LONG_DESCRIPTION)),
    },
    invoice:
      "lnbc20m1pvjluezpp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqhp58yjmdan79s6qqdhdzgynm4zwqd5d7xmw5fk98klysy043l2ahrqscc6gd6ql3jrc5yzme8v4ntcewwz5cnw92tz0pc8qcuufvq7khhr8wpald05e92xw006sq94mg8v2ndf4sefvf9sygkshp5zfem29trqq2yxxz7",
  },
  {
    title: "$30 for coffee beans with payment secret and features 9, 15, 99 (25m)",
    fields: {
      network: "mainnet",
      amountMsat: 2_500_000_000n,
      timestamp: SPEC_TIMESTAMP,
      paymentHash: SPEC_PAYMENT_HASH,
      description: "coffee beans",
      paymentSecret: new Uint8Array(32).fill(0x11),
      featureBits: [FEATURE.varOnionOptinOptional, FEATURE.paymentSecretOptional, 99],
    },
    invoice:
      "lnbc25m1pvjluezpp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqdq5vdhkven9v5sxyetpdeessp5zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zygs9q5sqqqqqqqqqqqqqqqpqsq67gye39hfg3zd8rgc80k32tvy9xk2xunwm5lzexnvpx6fd77en8qaq424dxgt56cag2dpt359k3ssyhetktkpqh24jqnjyw6uqd08sgptq44qu",
  },
];

describe("encodeInvoice reproduces the BOLT 11 examples exactly", () => {
  for (const [signerName, signer] of signers) {
    it(`${signerName} signer has the spec node id`, () => {
      expect(bytesToHex(signer.publicKey)).toBe(SPEC_NODE_ID);
    });
    for (const example of SPEC_EXAMPLES) {
      it(`${signerName}: ${example.title}`, () => {
        expect(encodeInvoice(example.fields, signer)).toBe(example.invoice);
      });
    }
  }

  it("createSigner picks tiny-secp256k1 here and reproduces the examples too", async () => {
    const signer = await createSigner(SPEC_PRIVATE_KEY);
    expect(signer.implementation).toBe("tiny-secp256k1");
    for (const example of SPEC_EXAMPLES) expect(encodeInvoice(example.fields, signer)).toBe(example.invoice);
  });

  it("the signing hash matches the spec's breakdown of the donation example", () => {
    // "hex of SHA256 of the preimage" given for the first example.
    const words = [...SPEC_EXAMPLES[0]!.invoice.slice("lnbc1".length, -6 - 104)].map((c) => "qpzry9x8gf2tvdw0s3jn54khce6mua7l".indexOf(c));
    expect(bytesToHex(invoiceSigningHash("lnbc", words))).toBe("c3d4e83f646fa79a393d75277b1d858db1d1f7ab7137dcb7835db2ecd518e1c9");
  });
});

describe("both signers agree byte for byte", () => {
  it("on random keys and hashes (RFC 6979, low-S)", () => {
    for (let i = 0; i < 25; i++) {
      const privateKey = sha256(new TextEncoder().encode(`key ${i}`));
      const messageHash = sha256(new TextEncoder().encode(`message ${i}`));
      const tiny = createTinySecp256k1Signer(privateKey);
      const noble = createNobleSigner(privateKey);
      expect(bytesToHex(tiny.publicKey)).toBe(bytesToHex(noble.publicKey));
      const signature = tiny.signRecoverable(messageHash);
      expect(signature).toHaveLength(65);
      expect(bytesToHex(noble.signRecoverable(messageHash))).toBe(bytesToHex(signature));
      expect(tinySecp256k1.verify(messageHash, tiny.publicKey, signature.subarray(0, 64), true)).toBe(true);
    }
  });

  it("reject invalid private keys", () => {
    expect(() => createNobleSigner(new Uint8Array(32))).toThrow();
    expect(() => createTinySecp256k1Signer(new Uint8Array(32))).toThrow();
    expect(() => createNobleSigner(new Uint8Array(31).fill(1))).toThrow();
    expect(() => createTinySecp256k1Signer(new Uint8Array(31).fill(1))).toThrow();
  });
});

describe("decodeInvoiceBasic", () => {
  it("reads the spec examples we encode", () => {
    const [donation, coffee, nonsense, hashed, beans] = SPEC_EXAMPLES.map((e) => decodeInvoiceBasic(e.invoice));
    expect(donation).toEqual({
      network: "mainnet",
      amountMsat: null,
      timestamp: SPEC_TIMESTAMP,
      expirySeconds: 3600,
      expiresAt: SPEC_TIMESTAMP + 3600,
      paymentHash: bytesToHex(SPEC_PAYMENT_HASH),
      paymentSecret: null,
      description: "Please consider supporting this project",
      descriptionHash: null,
      minFinalCltvExpiry: 18,
      featureBits: [],
      payeeNodeKey: SPEC_NODE_ID,
    });
    expect(coffee).toMatchObject({
      amountMsat: 250_000_000n,
      description: "1 cup coffee",
      expirySeconds: 60,
      expiresAt: SPEC_TIMESTAMP + 60,
    });
    expect(nonsense).toMatchObject({ description: "ナンセンス 1杯", payeeNodeKey: SPEC_NODE_ID });
    expect(hashed).toMatchObject({
      amountMsat: 2_000_000_000n,
      description: null,
      descriptionHash: bytesToHex(sha256(new TextEncoder().encode(SPEC_LONG_DESCRIPTION))),
    });
    expect(beans).toMatchObject({ amountMsat: 2_500_000_000n, paymentSecret: "11".repeat(32), featureBits: [9, 15, 99] });
  });

  it("reads spec examples with fields it skips (fallbacks, route hints, pico amount, bad-length fields)", () => {
    const testnetWithFallback = decodeInvoiceBasic(
      "lntb20m1pvjluezhp58yjmdan79s6qqdhdzgynm4zwqd5d7xmw5fk98klysy043l2ahrqspp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqfpp3x9et2e20v6pu37c5d9vax37wxq72un98kmzzhznpurw9sgl2v0nklu2g4d0keph5t7tj9tcqd8rexnd07ux4uv2cjvcqwaxgj7v4uwn5wmypjd5n69z2xm3xgksg28nwht7f6zspwp3f9t",
    );
    expect(testnetWithFallback).toMatchObject({ network: "testnet", amountMsat: 2_000_000_000n, payeeNodeKey: SPEC_NODE_ID });

    const blockstreamStore = decodeInvoiceBasic(
      "lnbc9678785340p1pwmna7lpp5gc3xfm08u9qy06djf8dfflhugl6p7lgza6dsjxq454gxhj9t7a0sd8dgfkx7cmtwd68yetpd5s9xar0wfjn5gpc8qhrsdfq24f5ggrxdaezqsnvda3kkum5wfjkzmfqf3jkgem9wgsyuctwdus9xgrcyqcjcgpzgfskx6eqf9hzqnteypzxz7fzypfhg6trddjhygrcyqezcgpzfysywmm5ypxxjemgw3hxjmn8yptk7untd9hxwg3q2d6xjcmtv4ezq7pqxgsxzmnyyqcjqmt0wfjjq6t5v4khxxqyjw5qcqp2rzjq0gxwkzc8w6323m55m4jyxcjwmy7stt9hwkwe2qxmy8zpsgg7jcuwz87fcqqeuqqqyqqqqlgqqqqn3qq9qn07ytgrxxzad9hc4xt3mawjjt8znfv8xzscs7007v9gh9j569lencxa8xeujzkxs0uamak9aln6ez02uunw6rd2ht2sqe4hz8thcdagpleym0j",
    );
    expect(blockstreamStore).toMatchObject({
      amountMsat: 967_878_534n,
      timestamp: 1572468703,
      expirySeconds: 604800,
      minFinalCltvExpiry: 10,
      paymentHash: "462264ede7e14047e9b249da94fefc47f41f7d02ee9b091815a5506bc8abf75f",
      payeeNodeKey: SPEC_NODE_ID,
    });

    const withIgnoredFields = decodeInvoiceBasic(
      "lnbc25m1pvjluezpp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqdq5vdhkven9v5sxyetpdeessp5zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zygs9q5sqqqqqqqqqqqqqqqpqsq2qrqqqfppnqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqppnqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqpp4qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqhpnqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqhp4qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqspnqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqsp4qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqnp5qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqnpkqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq2jxxfsnucm4jf4zwtznpaxphce606fvhvje5x7d4gw7n73994hgs7nteqvenq8a4ml8aqtchv5d9pf7l558889hp4yyrqv6a7zpq9fgpskqhza",
    );
    expect(withIgnoredFields).toMatchObject({
      paymentHash: bytesToHex(SPEC_PAYMENT_HASH),
      paymentSecret: "11".repeat(32),
      descriptionHash: null,
      payeeNodeKey: SPEC_NODE_ID,
    });
  });

  it("accepts the all-upper-case form and a lightning: URI prefix", () => {
    const beans = SPEC_EXAMPLES[4]!.invoice;
    expect(decodeInvoiceBasic(beans.toUpperCase())).toEqual(decodeInvoiceBasic(beans));
    expect(decodeInvoiceBasic(`lightning:${beans}`)).toEqual(decodeInvoiceBasic(beans));
  });

  // BOLT 11's "Examples of Invalid Invoices" that a basic reader must catch.
  const invalid: Array<[string, string]> = [
    [
      "bad checksum",
      "lnbc2500u1pvjluezpp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqdpquwpc4curk03c9wlrswe78q4eyqc7d8d0xqzpuyk0sg5g70me25alkluzd2x62aysf2pyy8edtjeevuv4p2d5p76r4zkmneet7uvyakky2zr4cusd45tftc9c5fh0nnqpnl2jfll544esqchsrnt",
    ],
    [
      "no separator",
      "pvjluezpp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqdpquwpc4curk03c9wlrswe78q4eyqc7d8d0xqzpuyk0sg5g70me25alkluzd2x62aysf2pyy8edtjeevuv4p2d5p76r4zkmneet7uvyakky2zr4cusd45tftc9c5fh0nnqpnl2jfll544esqchsrny",
    ],
    [
      "mixed case",
      "LNBC2500u1pvjluezpp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqdpquwpc4curk03c9wlrswe78q4eyqc7d8d0xqzpuyk0sg5g70me25alkluzd2x62aysf2pyy8edtjeevuv4p2d5p76r4zkmneet7uvyakky2zr4cusd45tftc9c5fh0nnqpnl2jfll544esqchsrny",
    ],
    [
      "signature not recoverable",
      "lnbc2500u1pvjluezpp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqdq5xysxxatsyp3k7enxv4jsxqzpuaxtrnwngzn3kdzw5hydlzf03qdgm2hdq27cqv3agm2awhz5se903vruatfhq77w3ls4evs3ch9zw97j25emudupq63nyw24cg27h2rspk28uwq",
    ],
    ["too short", "lnbc1pvjluezpp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqdpl2pkx2ctnv5sxxmmwwd5kgetjypeh2ursdae8g6na6hlh"],
    [
      "invalid multiplier",
      "lnbc2500x1pvjluezpp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqdq5xysxxatsyp3k7enxv4jsxqzpujr6jxr9gq9pv6g46y7d20jfkegkg4gljz2ea2a3m9lmvvr95tq2s0kvu70u3axgelz3kyvtp2ywwt0y8hkx2869zq5dll9nelr83zzqqpgl2zg",
    ],
    [
      "sub-millisatoshi precision",
      "lnbc2500000001p1pvjluezpp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqdq5xysxxatsyp3k7enxv4jsxqzpu7hqtk93pkf7sw55rdv4k9z2vj050rxdr6za9ekfs3nlt5lr89jqpdmxsmlj9urqumg0h9wzpqecw7th56tdms40p2ny9q4ddvjsedzcplva53s",
    ],
  ];
  for (const [reason, invoice] of invalid) {
    it(`rejects the spec's invalid invoice: ${reason}`, () => {
      expect(() => decodeInvoiceBasic(invoice)).toThrow();
    });
  }

  it("rejects a payee node key that did not sign the invoice", () => {
    const otherNode = createNobleSigner(sha256(new TextEncoder().encode("another node")));
    const honest = encodeInvoice({ ...tollboothFields("regtest"), includePayeeNodeKey: true }, otherNode);
    expect(decodeInvoiceBasic(honest).payeeNodeKey).toBe(bytesToHex(otherNode.publicKey));
    // Same fields and n, signed by a different key: the n field no longer matches.
    const forged = encodeInvoice(
      { ...tollboothFields("regtest"), includePayeeNodeKey: true },
      {
        implementation: "noble",
        publicKey: otherNode.publicKey,
        signRecoverable: (hash) => createNobleSigner(SPEC_PRIVATE_KEY).signRecoverable(hash),
      },
    );
    expect(() => decodeInvoiceBasic(forged)).toThrow(/payee node key/);
  });
});

/** What our simulated node will put in a typical invoice. */
function tollboothFields(network: Bolt11Network, amountMsat: bigint | null = 100_000n): InvoiceFields {
  return {
    network,
    ...(amountMsat === null ? {} : { amountMsat }), // null: an amountless invoice
    timestamp: 1_790_000_000,
    paymentHash: sha256(new TextEncoder().encode(`preimage ${network} ${amountMsat}`)),
    paymentSecret: sha256(new TextEncoder().encode(`secret ${network}`)),
    description: "GET /premium (Tollbooth)",
    expirySeconds: 600,
    minFinalCltvExpiry: 80,
    featureBits: [FEATURE.varOnionOptinOptional, FEATURE.paymentSecretCompulsory, FEATURE.basicMppOptional],
  };
}

const SIGNET = { bech32: "tbs", pubKeyHash: 0x6f, scriptHash: 0xc4, validWitnessVersions: [0, 1] };

describe("our invoices in the npm decoders", () => {
  const signer = signers[0]![1];
  const networks: Array<[Bolt11Network, string]> = [
    ["mainnet", "lnbc"],
    ["testnet", "lntb"],
    ["regtest", "lnbcrt"],
    ["signet", "lntbs"],
  ];

  for (const [network, prefix] of networks) {
    it(`bolt11 decodes a full ${network} invoice with a valid signature`, () => {
      const fields = { ...tollboothFields(network), includePayeeNodeKey: true };
      const invoice = encodeInvoice(fields, signer);
      expect(invoice.startsWith(`${prefix}1u1`)).toBe(true);

      const decoded = bolt11.decode(invoice, network === "signet" ? SIGNET : undefined);
      expect(decoded.complete).toBe(true);
      expect(decoded.payeeNodeKey).toBe(SPEC_NODE_ID);
      expect(decoded.satoshis).toBe(100);
      expect(decoded.millisatoshis).toBe("100000");
      expect(decoded.timestamp).toBe(fields.timestamp);
      expect(decoded.tagsObject.payment_hash).toBe(bytesToHex(fields.paymentHash));
      expect(decoded.tagsObject.payment_secret).toBe(bytesToHex(fields.paymentSecret!));
      expect(decoded.tagsObject.description).toBe(fields.description);
      expect(decoded.tagsObject.expire_time).toBe(600);
      expect(decoded.tagsObject.min_final_cltv_expiry).toBe(80);
      expect(decoded.tagsObject.payee_node_key).toBe(SPEC_NODE_ID);
      expect(decoded.tagsObject.feature_bits?.payment_secret).toMatchObject({ required: true });
      expect(decoded.tagsObject.feature_bits?.basic_mpp).toMatchObject({ supported: true, required: false });

      // Independently of bolt11's recovery: the signature verifies against the node key.
      const hrp = invoice.slice(0, invoice.lastIndexOf("1"));
      const words = [...invoice.slice(hrp.length + 1, -6 - 104)].map((c) => "qpzry9x8gf2tvdw0s3jn54khce6mua7l".indexOf(c));
      expect(tinySecp256k1.verify(invoiceSigningHash(hrp, words), hexToBytes(SPEC_NODE_ID), hexToBytes(decoded.signature!), true)).toBe(
        true,
      );

      const light = lightDecode(invoice);
      expect(sectionValue(light, "amount")).toBe("100000");
      expect(sectionValue(light, "payment_hash")).toBe(bytesToHex(fields.paymentHash));
      expect(sectionValue(light, "coin_network")).toMatchObject({ bech32: prefix.slice(2) });
      expect(light.expiry).toBe(600);

      expect(decodeInvoiceBasic(invoice)).toEqual({
        network,
        amountMsat: 100_000n,
        timestamp: fields.timestamp,
        expirySeconds: 600,
        expiresAt: fields.timestamp + 600,
        paymentHash: bytesToHex(fields.paymentHash),
        paymentSecret: bytesToHex(fields.paymentSecret!),
        description: fields.description,
        descriptionHash: null,
        minFinalCltvExpiry: 80,
        featureBits: [9, 14, 17],
        payeeNodeKey: SPEC_NODE_ID,
      });
    });
  }

  it("bolt11 and light-bolt11-decoder read a description-hash invoice (LNURL-pay style)", () => {
    const metadata = JSON.stringify([["text/plain", "Payout to alice@example.com"]]);
    const descriptionHash = sha256(new TextEncoder().encode(metadata));
    const { description: _dropped, ...rest } = tollboothFields("mainnet", 2_500_000n);
    const invoice = encodeInvoice({ ...rest, descriptionHash }, signer);

    const decoded = bolt11.decode(invoice);
    expect(decoded.tagsObject.purpose_commit_hash).toBe(bytesToHex(descriptionHash));
    expect(decoded.tagsObject.description).toBeUndefined();
    expect(decoded.payeeNodeKey).toBe(SPEC_NODE_ID);
    expect(sectionValue(lightDecode(invoice), "description_hash")).toBe(bytesToHex(descriptionHash));
    expect(decodeInvoiceBasic(invoice)).toMatchObject({
      amountMsat: 2_500_000n,
      description: null,
      descriptionHash: bytesToHex(descriptionHash),
    });
  });

  it("an amountless invoice has no amount in either decoder", () => {
    const invoice = encodeInvoice(tollboothFields("mainnet", null), signer);
    const decoded = bolt11.decode(invoice);
    expect(decoded.prefix).toBe("lnbc");
    expect(decoded.millisatoshis).toBeNull();
    expect(decoded.satoshis).toBeNull();
    expect(sectionValue(lightDecode(invoice), "amount")).toBeUndefined();
    expect(decodeInvoiceBasic(invoice).amountMsat).toBeNull();
  });
});

describe("amount encoding picks the shortest multiplier", () => {
  const cases: Array<[string, bigint, string]> = [
    ["1 msat", 1n, "10p"],
    ["10 msat", 10n, "100p"],
    ["150 msat", 150n, "1500p"],
    ["1 sat", 1_000n, "10n"],
    ["100 sat", 100_000n, "1u"],
    ["2500 sat", 2_500_000n, "25u"],
    ["1 sat + 1 msat", 1_001n, "10010p"],
    ["0.001 BTC", 100_000_000n, "1m"],
    ["0.0025 BTC", 250_000_000n, "2500u"],
    ["1 BTC", 100_000_000_000n, "1"],
    ["21 BTC", 2_100_000_000_000n, "21"],
    ["1 BTC + 1 msat", 100_000_000_001n, "1000000000010p"],
  ];

  for (const [label, amountMsat, expected] of cases) {
    it(`${label} -> ${expected}, read back by both decoders`, () => {
      expect(encodeAmount(amountMsat)).toBe(expected);
      const invoice = encodeInvoice(tollboothFields("mainnet", amountMsat), signers[1]![1]);
      expect(invoice.startsWith(`lnbc${expected}1`)).toBe(true);

      const decoded = bolt11.decode(invoice);
      expect(decoded.millisatoshis).toBe(amountMsat.toString());
      expect(decoded.payeeNodeKey).toBe(SPEC_NODE_ID);
      // bolt11 leaves satoshis out when the amount is not whole sats.
      if (amountMsat % 1000n === 0n) expect(decoded.satoshis).toBe(Number(amountMsat / 1000n));
      else expect(decoded.satoshis).toBeUndefined();

      expect(sectionValue(lightDecode(invoice), "amount")).toBe(amountMsat.toString());
      expect(decodeInvoiceBasic(invoice).amountMsat).toBe(amountMsat);
    });
  }

  it("rejects zero and negative amounts", () => {
    expect(() => encodeAmount(0n)).toThrow();
    expect(() => encodeAmount(-1n)).toThrow();
  });
});

describe("encodeInvoice refuses invoices BOLT 11 forbids", () => {
  const signer = signers[1]![1];
  const base = tollboothFields("mainnet");

  it("needs exactly one of description and descriptionHash", () => {
    expect(() => encodeInvoice({ ...base, descriptionHash: new Uint8Array(32) }, signer)).toThrow(/exactly one/);
    const { description: _dropped, ...withoutDescription } = base;
    expect(() => encodeInvoice(withoutDescription, signer)).toThrow(/exactly one/);
  });

  it("needs a payment secret when the payment_secret feature is set", () => {
    const { paymentSecret: _dropped, ...withoutSecret } = base;
    expect(() => encodeInvoice(withoutSecret, signer)).toThrow(/paymentSecret/);
  });

  it("checks sizes: 32-byte hashes, 639-byte descriptions, 35-bit timestamps", () => {
    expect(() => encodeInvoice({ ...base, paymentHash: new Uint8Array(31) }, signer)).toThrow(/32 bytes/);
    expect(() => encodeInvoice({ ...base, description: "x".repeat(640) }, signer)).toThrow(/too long/);
    expect(encodeInvoice({ ...base, description: "x".repeat(639) }, signer)).toMatch(/^lnbc1u1/);
    expect(() => encodeInvoice({ ...base, timestamp: 2 ** 35 }, signer)).toThrow(/timestamp/);
    expect(() => encodeInvoice({ ...base, timestamp: 1.5 }, signer)).toThrow(/timestamp/);
    expect(() => encodeInvoice({ ...base, expirySeconds: -1 }, signer)).toThrow(/expirySeconds/);
  });

  it("writes an empty description and an expiry of 0 in a form the decoders read", () => {
    const invoice = encodeInvoice({ ...base, description: "", expirySeconds: 0 }, signer);
    expect(bolt11.decode(invoice).tagsObject.description).toBe("");
    expect(decodeInvoiceBasic(invoice)).toMatchObject({ description: "", expirySeconds: 0 });
  });
});

type LightDecoded = ReturnType<typeof lightDecode>;

function sectionValue(decoded: LightDecoded, name: string): unknown {
  const section = decoded.sections.find((s) => s.name === name) as { value?: unknown } | undefined;
  return section?.value;
}
