import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('payments')
export class Payment {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'integer' })
  userId!: number;

  @Column({ type: 'integer' })
  amountCents!: number;

  @Column({ type: 'varchar', length: 3 })
  currency!: string;

  @Column({ type: 'varchar', length: 16 })
  status!: string;

  /** Only the last four digits: the full number is never stored, nor sent to analytics. */
  @Column({ type: 'varchar', length: 4 })
  cardLast4!: string;

  @Column({ type: 'varchar', length: 40 })
  chargeId!: string;

  @CreateDateColumn()
  createdAt!: Date;
}
