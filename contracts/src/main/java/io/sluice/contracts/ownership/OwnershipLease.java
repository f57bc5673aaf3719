package io.sluice.contracts.ownership;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

/**
 * A replica's self-imposed lease on the partitions its group gave it. Kafka tells a replica that
 * they went to another one only when it reaches the group's coordinator again: cut off from the
 * brokers (a network partition, a long pause) it would work on them beside their new owner. So it
 * holds them only while it hears from the brokers. A member hears at least every heartbeat interval
 * (a heartbeat answered; fetches answer more often); the group expires a member whose heartbeats
 * stopped for the session timeout, then hands its partitions on. The lease runs out after two
 * thirds of the session timeout without a response from any broker (two heartbeats missed at the
 * usual 3 of 10 s), before the group could expire the member.
 */
final class OwnershipLease {
    private final Duration term;
    private double responses = -1;
    private long heardAt;

    OwnershipLease(Duration sessionTimeout) {
        this.term = sessionTimeout.multipliedBy(2).dividedBy(3);
    }

    Duration term() {
        return term;
    }

    /**
     * True when the lease has run out at {@code nowNanos}, the consumer having received {@code
     * responses} from the brokers in all: renewed whenever that count grew since the last look.
     */
    synchronized boolean runOut(double responses, long nowNanos) {
        if (responses != this.responses) {
            this.responses = responses;
            heardAt = nowNanos;
            return false;
        }
        return nowNanos - heardAt > term.toNanos();
    }

    /** Renewed at {@code nowNanos}: the group has just answered (a rebalance completed). */
    synchronized void renew(long nowNanos) {
        heardAt = nowNanos;
    }

    /** How many responses the consumer has received from any broker since it was created. */
    static double responses(Consumer<?, ?> consumer) {
        double total = 0;
        for (Map.Entry<MetricName, ? extends Metric> metric : consumer.metrics().entrySet()) {
            if (metric.getKey().name().equals("response-total")
                    && metric.getKey().group().equals("consumer-metrics")
                    && metric.getValue().metricValue() instanceof Number count) {
                total += count.doubleValue();
            }
        }
        return total;
    }
}
