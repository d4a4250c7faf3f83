import { ConflictException, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { TrackAuth } from '../../lib/index.js';
import { hashPassword, newSessionToken, tokenHash, verifyPassword } from './password-hash.js';
import { type PublicUser, publicUser } from './public-user.js';
import { Session } from './session.entity.js';
import { User } from './user.entity.js';

export interface Registration {
  email: string;
  name: string;
  password: string;
}

export interface SignedIn {
  user: PublicUser;
  token: string;
}

export const DEMO_USER = { email: 'demo@example.com', name: 'Demo User', password: 'demo-password' } as const;

/**
 * Accounts and sessions. The decorators record one `User Authentication` event per call; neither
 * the e-mail nor the password is recorded, since decorators never record arguments.
 */
@Injectable()
export class AuthService {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    @InjectRepository(Session) private readonly sessions: Repository<Session>,
  ) {}

  /** `user_id` comes from the result's `id`; a duplicate e-mail throws, recorded as a failed attempt. */
  @TrackAuth('register', { method: 'password' })
  async register(input: Registration): Promise<PublicUser> {
    if (await this.users.existsBy({ email: input.email })) {
      throw new ConflictException('An account with this e-mail address already exists');
    }
    const user = this.users.create({ email: input.email, name: input.name, passwordHash: await hashPassword(input.password) });
    return publicUser(await this.users.save(user));
  }

  /** A `null` result is a failed attempt (the Passport convention), recorded with our own reason. */
  @TrackAuth('login', { method: 'password', failureReason: 'invalid_credentials' })
  async login(email: string, password: string): Promise<SignedIn | null> {
    const user = await this.users.findOneBy({ email });
    if (!user || !(await verifyPassword(password, user.passwordHash))) return null;
    const token = newSessionToken();
    await this.sessions.insert({ tokenHash: tokenHash(token), userId: user.id });
    return { user: publicUser(user), token };
  }

  @TrackAuth('logout', { userId: ({ args }) => args[0] })
  async logout(userId: number, token: string): Promise<void> {
    await this.sessions.delete({ tokenHash: tokenHash(token), userId });
  }

  async userForToken(token: string): Promise<PublicUser | undefined> {
    const session = await this.sessions.findOneBy({ tokenHash: tokenHash(token) });
    if (!session) return undefined;
    const user = await this.users.findOneBy({ id: session.userId });
    return user ? publicUser(user) : undefined;
  }

  /** The account the README's curl commands sign in with. */
  async ensureDemoUser(): Promise<void> {
    if (await this.users.existsBy({ email: DEMO_USER.email })) return;
    await this.users.insert({ email: DEMO_USER.email, name: DEMO_USER.name, passwordHash: await hashPassword(DEMO_USER.password) });
  }
}
