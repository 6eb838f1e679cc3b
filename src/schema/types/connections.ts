import { Field, Int, ObjectType } from 'type-graphql';
import { CaseType } from './case.type';
import { TimelineEventType } from './timeline-event.type';
import type { CountResult } from '../../domain/case/case-repository.port';

@ObjectType('PageInfo')
export class PageInfoType {
  @Field(() => Boolean) hasNextPage!: boolean;
  @Field(() => Boolean) hasPreviousPage!: boolean;
  @Field(() => String, { nullable: true }) startCursor!: string | null;
  @Field(() => String, { nullable: true }) endCursor!: string | null;
}

@ObjectType('CaseEdge')
export class CaseEdgeType {
  @Field(() => String) cursor!: string;
  @Field(() => CaseType) node!: CaseType;
}

@ObjectType('CaseConnection')
export class CaseConnectionType {
  @Field(() => [CaseEdgeType]) edges!: CaseEdgeType[];
  @Field(() => PageInfoType) pageInfo!: PageInfoType;
  /** Counts the matching cases on first call (totalCount and totalCountIsCapped, see CaseConnectionResolver). */
  total!: () => Promise<CountResult>;
}

@ObjectType('TimelineEdge')
export class TimelineEdgeType {
  @Field(() => String) cursor!: string;
  @Field(() => TimelineEventType) node!: TimelineEventType;
}

@ObjectType('TimelineConnection')
export class TimelineConnectionType {
  @Field(() => [TimelineEdgeType]) edges!: TimelineEdgeType[];
  @Field(() => PageInfoType) pageInfo!: PageInfoType;
  @Field(() => Int) totalCount!: number;
}

/** Relay page info for forward pagination. */
export function pageInfo(edges: { cursor: string }[], hasNextPage: boolean, after: string | null | undefined): PageInfoType {
  return {
    hasNextPage,
    hasPreviousPage: !!after,
    startCursor: edges[0]?.cursor ?? null,
    endCursor: edges[edges.length - 1]?.cursor ?? null,
  };
}
