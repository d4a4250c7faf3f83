import { Body, Controller, Headers, HttpCode, Post, Req, UnauthorizedException, UseGuards } from '@nestjs/common';
import { RequestBody } from '../config/request-body.js';
import { AuthService, type SignedIn } from './auth.service.js';
import { bearerToken } from './bearer-token.js';
import type { AuthenticatedRequest, PublicUser } from './public-user.js';
import { SessionGuard } from './session.guard.js';

@Controller('api/auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('register')
  register(@Body() body: unknown): Promise<PublicUser> {
    const input = new RequestBody(body);
    return this.auth.register({ email: input.email('email'), name: input.text('name', { max: 200 }), password: input.text('password', { max: 200 }) });
  }

  @Post('login')
  @HttpCode(200)
  async login(@Body() body: unknown): Promise<SignedIn> {
    const input = new RequestBody(body);
    const session = await this.auth.login(input.email('email'), input.text('password', { max: 200 }));
    if (!session) throw new UnauthorizedException('Wrong e-mail address or password');
    return session;
  }

  @Post('logout')
  @HttpCode(204)
  @UseGuards(SessionGuard)
  async logout(@Req() request: AuthenticatedRequest, @Headers('authorization') authorization: string): Promise<void> {
    await this.auth.logout(request.user!.id, bearerToken(authorization)!);
  }
}
