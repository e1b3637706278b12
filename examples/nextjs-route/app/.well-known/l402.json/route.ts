// GET /.well-known/l402.json: what this API charges, for agents (cached a minute).
import { wellKnownResponse } from "@tollbooth/l402";

export const GET = () => wellKnownResponse();
