// The dashboard's own route handlers (search, CSV downloads) answer errors in the API's
// shape, {error:{type, code, message, param?}}, with the error's status. Anything that is
// not an AppError (Next's redirect to the sign-in page among them) is left to Next.
import { AppError } from "../errors";

export function dashboardRoute<Args extends unknown[]>(handler: (...args: Args) => Promise<Response>) {
  return async (...args: Args): Promise<Response> => {
    try {
      return await handler(...args);
    } catch (error) {
      if (error instanceof AppError)
        return Response.json(error.toJSON(), { status: error.status, headers: { "cache-control": "no-store" } });
      throw error;
    }
  };
}
