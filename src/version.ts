import pkg from "../package.json";

/** The service's version, as package.json states it (also in the user-agent of deliveries). */
export const VERSION: string = pkg.version;

/** The user-agent of every request the service sends. */
export const USER_AGENT = `EventInsight-Webhooks/${VERSION}`;
