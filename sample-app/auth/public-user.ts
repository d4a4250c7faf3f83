import type { User } from './user.entity.js';

/** What the API says about a user: never the password hash. */
export interface PublicUser {
  id: number;
  email: string;
  name: string;
}

export function publicUser(user: User): PublicUser {
  return { id: user.id, email: user.email, name: user.name };
}

/** Set on the request by `SessionGuard`; the analytics module's default `identify` reads its `id`. */
export interface AuthenticatedRequest {
  user?: PublicUser;
  headers: Record<string, string | string[] | undefined>;
}
