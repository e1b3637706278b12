// What tests/helpers/next-session.ts puts in place of Next's request scope. This file imports
// nothing: the vi.mock factories load it while the modules they replace are still loading.
export const sessionState: { userId?: string; cookies: Map<string, string> } = { cookies: new Map() };

export function nextAuthMock<T extends object>(original: T) {
  return { ...original, getServerSession: async () => (sessionState.userId ? { user: { id: sessionState.userId }, expires: "" } : null) };
}

export function nextHeadersMock() {
  const cookieStore = {
    get: (name: string) => (sessionState.cookies.has(name) ? { name, value: sessionState.cookies.get(name)! } : undefined),
    getAll: () => [...sessionState.cookies].map(([name, value]) => ({ name, value })),
    has: (name: string) => sessionState.cookies.has(name),
    set: (name: string, value: string) => sessionState.cookies.set(name, value),
  };
  return {
    cookies: async () => cookieStore,
    headers: async () => new Headers({ host: "tollbooth.test", "user-agent": "vitest", "x-forwarded-for": "192.0.2.10" }),
  };
}

export function nextCacheMock() {
  return { revalidatePath: () => {}, revalidateTag: () => {} };
}
