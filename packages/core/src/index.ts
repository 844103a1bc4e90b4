/**
 * @civicgrid/core — the community-governance domain (社区治理, 网格化管理) as
 * pure, property-tested functions.
 *
 * @since 0.1.0
 */

/**
 * @since 0.1.0
 */
export * as AccessList from "./AccessList.js"
/**
 * @since 0.1.0
 */
export * as Actor from "./Actor.js"
/**
 * @since 0.1.0
 */
export * as Administration from "./Administration.js"
/**
 * @since 0.1.0
 */
export * as AreaCode from "./AreaCode.js"
/**
 * @since 0.1.0
 */
export * as Award from "./Award.js"
/**
 * @since 0.1.0
 */
export * as Body from "./Body.js"
/**
 * @since 0.1.0
 */
export * as Building from "./Building.js"
/**
 * @since 0.1.0
 */
export * as CadreAppraisal from "./CadreAppraisal.js"
/**
 * @since 0.1.0
 */
export * as CalendarRepository from "./CalendarRepository.js"
/**
 * @since 0.1.0
 */
export * as Case from "./Case.js"
/**
 * @since 0.1.0
 */
export * as CaseCategory from "./CaseCategory.js"
/**
 * @since 0.1.0
 */
export * as CaseCommand from "./CaseCommand.js"
/**
 * @since 0.1.0
 */
export * as CaseEvent from "./CaseEvent.js"
/**
 * @since 0.1.0
 */
export * as CaseImport from "./CaseImport.js"
/**
 * @since 0.1.0
 */
export * as CaseRepository from "./CaseRepository.js"
/**
 * @since 0.1.0
 */
export * as CaseService from "./CaseService.js"
/**
 * @since 0.1.0
 */
export * as CaseStep from "./CaseStep.js"
/**
 * @since 0.1.0
 */
export * as Compound from "./Compound.js"
/**
 * @since 0.1.0
 */
export * as CompoundPartyFounding from "./CompoundPartyFounding.js"
/**
 * @since 0.1.0
 */
export * as ContactDuty from "./ContactDuty.js"
/**
 * @since 0.1.0
 */
export * as Coverage from "./Coverage.js"
/**
 * @since 0.1.0
 */
export * as Crs from "./Crs.js"
/**
 * @since 0.1.0
 */
export * as Decider from "./Decider.js"
/**
 * @since 0.1.0
 */
export * as Deliberation from "./Deliberation.js"
/**
 * @since 0.1.0
 */
export * as DeliberationMetrics from "./DeliberationMetrics.js"
/**
 * @since 0.1.0
 */
export * as DeliberationRepository from "./DeliberationRepository.js"
/**
 * @since 0.1.0
 */
export * as Department from "./Department.js"
/**
 * @since 0.1.0
 */
export * as DepartmentRepository from "./DepartmentRepository.js"
/**
 * @since 0.1.0
 */
export * as Escalation from "./Escalation.js"
/**
 * @since 0.1.0
 */
export * as EscalationService from "./EscalationService.js"
/**
 * @since 0.1.0
 */
export * as EventDelivery from "./EventDelivery.js"
/**
 * @since 0.1.0
 */
export * as GeoJson from "./GeoJson.js"
/**
 * @since 0.1.0
 */
export * as Grid from "./Grid.js"
/**
 * @since 0.1.0
 */
export * as GridCode from "./GridCode.js"
/**
 * @since 0.1.0
 */
export * as GridRepository from "./GridRepository.js"
/**
 * @since 0.1.0
 */
export * as Hierarchy from "./Hierarchy.js"
/**
 * @since 0.1.0
 */
export * as HierarchyRepository from "./HierarchyRepository.js"
/**
 * @since 0.1.0
 */
export * as Household from "./Household.js"
/**
 * 幂等键保留 — how long idempotency keys of reports are kept, and the job that prunes older ones.
 *
 * @since 0.1.0
 */
export * as IdempotencyRetention from "./IdempotencyRetention.js"
/**
 * @since 0.1.0
 */
export * as Indicator from "./Indicator.js"
/**
 * @since 0.1.0
 */
export * as IndicatorProjection from "./IndicatorProjection.js"
/**
 * @since 0.1.0
 */
export * as IndicatorSource from "./IndicatorSource.js"
/**
 * @since 0.1.0
 */
export * as Instant from "./Instant.js"
/**
 * @since 0.1.0
 */
export * as JobCursor from "./JobCursor.js"
/**
 * @since 0.1.0
 */
export * as KeyGroup from "./KeyGroup.js"
/**
 * @since 0.1.0
 */
export * as KeyGroupAccess from "./KeyGroupAccess.js"
/**
 * @since 0.1.0
 */
export * as Lease from "./Lease.js"
/**
 * @since 0.1.0
 */
export * as LevelScheme from "./LevelScheme.js"
/**
 * @since 0.1.0
 */
export * as ListRepository from "./ListRepository.js"
/**
 * @since 0.1.0
 */
export * as Meeting from "./Meeting.js"
/**
 * @since 0.1.0
 */
export * as Membership from "./Membership.js"
/**
 * @since 0.1.0
 */
export * as MicroWish from "./MicroWish.js"
/**
 * @since 0.1.0
 */
export * as Notification from "./Notification.js"
/**
 * @since 0.1.0
 */
export * as OrganizationMetrics from "./OrganizationMetrics.js"
/**
 * @since 0.1.0
 */
export * as OrganizationRepository from "./OrganizationRepository.js"
/**
 * @since 0.1.0
 */
export * as OrganizationRules from "./OrganizationRules.js"
/**
 * @since 0.1.0
 */
export * as Partition from "./Partition.js"
/**
 * @since 0.1.0
 */
export * as PartyOrganization from "./PartyOrganization.js"
/**
 * 联户走访仓库 — the port for households, residents, key groups, contacts, visits, proxy services and the access log.
 *
 * @since 0.1.0
 */
export * as PeopleRepository from "./PeopleRepository.js"
/**
 * @since 0.1.0
 */
export * as Period from "./Period.js"
/**
 * @since 0.1.0
 */
export * as Planner from "./Planner.js"
/**
 * @since 0.1.0
 */
export * as PointLocation from "./PointLocation.js"
/**
 * @since 0.1.0
 */
export * as PolicyRepository from "./PolicyRepository.js"
/**
 * @since 0.1.0
 */
export * as Post from "./Post.js"
/**
 * @since 0.1.0
 */
export * as Privacy from "./Privacy.js"
/**
 * @since 0.1.0
 */
export * as ProblemList from "./ProblemList.js"
/**
 * @since 0.1.0
 */
export * as Proposal from "./Proposal.js"
/**
 * @since 0.1.0
 */
export * as ProxyService from "./ProxyService.js"
/**
 * @since 0.1.0
 */
export * as Publication from "./Publication.js"
/**
 * @since 0.1.0
 */
export * as Ratio from "./Ratio.js"
/**
 * @since 0.1.0
 */
export * as Resident from "./Resident.js"
/**
 * @since 0.1.0
 */
export * as Resolution from "./Resolution.js"
/**
 * @since 0.1.0
 */
export * as ResourceList from "./ResourceList.js"
/**
 * @since 0.1.0
 */
export * as RoleTable from "./RoleTable.js"
/**
 * @since 0.1.0
 */
export * as Routing from "./Routing.js"
/**
 * @since 0.1.0
 */
export * as ScheduleFile from "./ScheduleFile.js"
/**
 * @since 0.1.0
 */
export * as Scheduler from "./Scheduler.js"
/**
 * @since 0.1.0
 */
export * as Score from "./Score.js"
/**
 * @since 0.1.0
 */
export * as Staffing from "./Staffing.js"
/**
 * @since 0.1.0
 */
export * as Storage from "./Storage.js"
/**
 * @since 0.1.0
 */
export * as Survey from "./Survey.js"
/**
 * @since 0.1.0
 */
export * as SurveyRepository from "./SurveyRepository.js"
/**
 * @since 0.1.0
 */
export * as TaskList from "./TaskList.js"
/**
 * @since 0.1.0
 */
export * as Text from "./Text.js"
/**
 * @since 0.1.0
 */
export * as Tier from "./Tier.js"
/**
 * @since 0.1.0
 */
export * as TimeLimit from "./TimeLimit.js"
/**
 * 时间有序编号 — UUID version 7: ids that sort by the time they were made (index-friendly keys).
 *
 * @since 0.1.0
 */
export * as TimeOrderedId from "./TimeOrderedId.js"
/**
 * @since 0.1.0
 */
export * as Unit from "./Unit.js"
/**
 * @since 0.1.0
 */
export * as Visit from "./Visit.js"
/**
 * @since 0.1.0
 */
export * as VisitFollowUp from "./VisitFollowUp.js"
/**
 * @since 0.1.0
 */
export * as VisitMetrics from "./VisitMetrics.js"
/**
 * @since 0.1.0
 */
export * as VisitPlan from "./VisitPlan.js"
/**
 * @since 0.1.0
 */
export * as Vote from "./Vote.js"
/**
 * @since 0.1.0
 */
export * as Wkt from "./Wkt.js"
/**
 * @since 0.1.0
 */
export * as WorkDuration from "./WorkDuration.js"
/**
 * @since 0.1.0
 */
export * as WorkingCalendar from "./WorkingCalendar.js"
