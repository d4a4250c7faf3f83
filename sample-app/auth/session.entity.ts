import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** A signed-in session. Only the token's SHA-256 is stored, so a copy of the table signs nobody in. */
@Entity('sessions')
export class Session {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  tokenHash!: string;

  @Column({ type: 'integer' })
  userId!: number;

  @CreateDateColumn()
  createdAt!: Date;
}
