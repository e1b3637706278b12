// next-auth v4: email + password through the Credentials provider, JWT sessions that
// expire after SESSION_MAX_AGE_HOURS. The checks themselves live in sign-in.ts.
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { getDb } from "../db/client";
import { AppError } from "../errors";
import { requestContext } from "./request-context";
import { authenticate } from "./sign-in";
import { ACTIVE_TENANT_COOKIE, cookieValue } from "./tenant-cookie";

export const SESSION_MAX_AGE_SECONDS = Number(process.env.SESSION_MAX_AGE_HOURS ?? 24) * 3600;

export const authOptions: NextAuthOptions = {
  secret: process.env.NEXTAUTH_SECRET,
  session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
  jwt: { maxAge: SESSION_MAX_AGE_SECONDS },
  pages: { signIn: "/sign-in", error: "/sign-in" },
  providers: [
    CredentialsProvider({
      name: "Email and password",
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      async authorize(credentials, req) {
        try {
          const activeTenantId = cookieValue(req?.headers, ACTIVE_TENANT_COOKIE);
          return await authenticate(getDb(), credentials, { ...requestContext(req?.headers), activeTenantId });
        } catch (error) {
          // next-auth hands this message to the sign-in form as `error`.
          if (error instanceof AppError) throw new Error(error.message);
          throw error;
        }
      },
    }),
  ],
  callbacks: {
    async jwt({ token, user }) {
      if (user) token.sub = user.id;
      return token;
    },
    async session({ session, token }) {
      if (session.user && token.sub) (session.user as { id?: string }).id = token.sub;
      return session;
    },
  },
};
