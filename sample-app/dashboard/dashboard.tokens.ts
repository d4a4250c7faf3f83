export const DASHBOARD_ASSETS = Symbol('DASHBOARD_ASSETS');
/** A phrase saying where the app sends new events, shown above the panels. */
export const EVENT_DESTINATION = Symbol('EVENT_DESTINATION');
