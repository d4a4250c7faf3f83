import { type CanActivate, type ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import { AuthService } from './auth.service.js';
import { bearerToken } from './bearer-token.js';
import type { AuthenticatedRequest } from './public-user.js';

/**
 * Lets a request through when it carries the bearer token of a live session, and puts the user
 * on `request.user`: that is where the analytics module finds the `userId` of every event the
 * request produces. A rejection happens before interceptors run; the library still records it.
 */
@Injectable()
export class SessionGuard implements CanActivate {
  constructor(private readonly auth: AuthService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const token = bearerToken(request.headers.authorization);
    const user = token ? await this.auth.userForToken(token) : undefined;
    if (!user) throw new UnauthorizedException('Sign in first: send the token that /api/auth/login returned in an Authorization header');
    request.user = user;
    return true;
  }
}
