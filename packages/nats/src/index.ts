/**
 * @civicgrid/nats — stored case events published to NATS JetStream.
 *
 * @since 0.1.0
 */

/**
 * 消息队列投递 — an `EventDelivery` subscriber publishing to a JetStream stream.
 *
 * @since 0.1.0
 */
export * as JetStream from "./JetStream.js"
