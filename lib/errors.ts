// One error type for the whole domain. Hono routes turn it into the design's error shape
// `{error:{type, code, message, param?}}`; server actions turn it into a form message.
export type ErrorType =
  | "invalid_request_error"
  | "authentication_error"
  | "permission_error"
  | "not_found_error"
  | "conflict_error"
  | "rate_limit_error"
  | "payment_required"
  | "api_error";

const STATUS_BY_TYPE: Record<ErrorType, number> = {
  invalid_request_error: 400,
  authentication_error: 401,
  payment_required: 402,
  permission_error: 403,
  not_found_error: 404,
  conflict_error: 409,
  rate_limit_error: 429,
  api_error: 500,
};

export class AppError extends Error {
  readonly type: ErrorType;
  readonly code: string;
  readonly param?: string;
  readonly status: number;

  constructor(type: ErrorType, code: string, message: string, options: { param?: string; status?: number } = {}) {
    super(message);
    this.name = "AppError";
    this.type = type;
    this.code = code;
    this.param = options.param;
    this.status = options.status ?? STATUS_BY_TYPE[type];
  }

  toJSON() {
    return { error: { type: this.type, code: this.code, message: this.message, ...(this.param ? { param: this.param } : {}) } };
  }
}

export function isUniqueViolation(error: unknown): boolean {
  // Prisma reports unique violations as P2002 (through the pg adapter too).
  return typeof error === "object" && error !== null && (error as { code?: string }).code === "P2002";
}

/** Validates input for a domain function: the value, or an invalid_request_error with the
 *  first issue's message and the field it is about (`param`), as forms and the API show it. */
export function parseInput<T>(
  schema: {
    safeParse(
      input: unknown,
    ): { success: true; data: T } | { success: false; error: { issues: { message: string; path: PropertyKey[] }[] } };
  },
  input: unknown,
  code: string,
  param?: string,
): T {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  return fail(code, issue.message, param ?? issue.path.map(String).join("."));
}

function fail(code: string, message: string, param: string): never {
  throw new AppError("invalid_request_error", code, message, { param: param || undefined });
}
