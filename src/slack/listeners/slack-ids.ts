/**
 * Slack's ids and timestamps as the listeners accept them. They go into
 * store keys and into the `<@…>` the app writes, so anything that is not
 * shaped like what Slack sends is refused at the door.
 */
import { z } from 'zod';

export const teamIdSchema = z.string().regex(/^[TE][A-Z0-9]{1,40}$/);
export const channelIdSchema = z.string().regex(/^[CGD][A-Z0-9]{1,40}$/);
export const userIdSchema = z.string().regex(/^[UW][A-Z0-9]{1,40}$/);
/** "1700000000.000100"; action_ts has the same shape. */
export const slackTsSchema = z.string().regex(/^\d{1,12}\.\d{1,9}$/);
/** The app's own review ids ("R" and letters or digits). */
export const reviewIdSchema = z.string().regex(/^R[A-Z0-9]{4,19}$/);
