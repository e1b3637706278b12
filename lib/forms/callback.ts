/** Only same-site paths: a callbackUrl must never send someone to another origin. */
export function safeCallback(url?: string): string {
  return url?.startsWith("/") && !url.startsWith("//") && !url.startsWith("/\\") ? url : "/dashboard";
}
