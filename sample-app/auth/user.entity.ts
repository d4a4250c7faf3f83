import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('users')
export class User {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'varchar', length: 320, unique: true })
  email!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  /** `salt:hash`, scrypt (see password-hash.ts). */
  @Column({ type: 'varchar', length: 200 })
  passwordHash!: string;

  @CreateDateColumn()
  createdAt!: Date;
}
