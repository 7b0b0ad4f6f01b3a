// A portfolio of apps' DR pairs, failed over together (docs/portfolio.md): its config, its checks against its
// apps, its parent Region switch plan, its estimate, and reading it from the stack files.
export { DEFAULT_WAVE, PORTFOLIO_FIELDS, PORTFOLIO_ROLE, isPortfolio, membersOf, parsePortfolioConfig } from "./config";
export type { PortfolioConfig, PortfolioConfigResult, PortfolioMember } from "./config";
export { detectorApp, portfolioProblems, recoveryApproach, wavesOf } from "./checks";
export type { PortfolioApp, PortfolioAppFound } from "./checks";
export { childStepName, parentExecutionPolicy, parentPlanName, parentWorkflows, triggerAlarms } from "./parentPlan";
export type { ChildPlan, ParentPlanTargets } from "./parentPlan";
export { PORTFOLIO_PLAN_MONTHLY_USD, SHARED_STEPS, afterDecision, decidedAt, portfolioEstimate } from "./estimate";
export type { AppEstimate, PortfolioEstimate, WaveEstimate } from "./estimate";
export { appEstimates, estimateOf, findApp, loadPortfolio, portfolioFromConfig } from "./load";
export type { LoadedPortfolio, PortfolioResult } from "./load";
