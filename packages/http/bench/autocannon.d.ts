/**
 * The part of `autocannon`'s API the load benchmark uses (the package ships no
 * types and `@types/autocannon` is not installed).
 */
declare module "autocannon" {
  export interface Request {
    method?: string
    path?: string
    headers?: Record<string, string>
    body?: string
    /** Called before each request is sent: returns the request to send. */
    setupRequest?: (request: Request, context: Record<string, unknown>) => Request
  }
  export interface Options {
    url: string
    connections?: number
    /** Seconds. */
    duration?: number
    pipelining?: number
    /** Seconds. */
    timeout?: number
    requests?: ReadonlyArray<Request>
  }
  export interface Histogram {
    average: number
    mean: number
    stddev: number
    min: number
    max: number
    total: number
    p50: number
    p90: number
    p99: number
  }
  export interface Result {
    /** Requests per second, sampled each second. */
    requests: Histogram
    /** Milliseconds. */
    latency: Histogram
    errors: number
    timeouts: number
    non2xx: number
    "2xx": number
    duration: number
  }
  function autocannon(options: Options): Promise<Result>
  export default autocannon
}
