// Next's request scope does not exist under vitest; these stand in for what it provides to
// the dashboard's code: the decoded next-auth session, the request's cookies and headers,
// and the cache. A test file mocks the modules with them (see dashboard-session.ts). This
// file imports nothing: the mock factories load it while next-auth
// and next/headers are being mocked, so importing app code from here would wait on itself.
export const requestState: { userId?: string; cookies: Map<string, string> } = { cookies: new Map() };

export function mockNextAuth<T extends object>(original: T) {
  return {
    ...original,
    getServerSession: async () => (requestState.userId ? { user: { id: requestState.userId }, expires: "" } : null),
  };
}

export function mockNextHeaders() {
  const cookieStore = {
    get: (name: string) => (requestState.cookies.has(name) ? { name, value: requestState.cookies.get(name)! } : undefined),
    getAll: () => [...requestState.cookies].map(([name, value]) => ({ name, value })),
    has: (name: string) => requestState.cookies.has(name),
    set: (name: string, value: string) => requestState.cookies.set(name, value),
  };
  // The client address as server.ts stamps it (lib/http/client-ip.ts CLIENT_IP_HEADER).
  const headers = () => new Headers({ host: "tollbooth.test", "user-agent": "vitest", "x-tollbooth-client-ip": "192.0.2.10" });
  return { cookies: async () => cookieStore, headers: async () => headers() };
}

export function mockNextCache() {
  return { revalidatePath: () => {}, revalidateTag: () => {} };
}
