package io.sluice.contracts.ownership;

import io.quarkus.runtime.ShutdownEvent;
import io.sluice.contracts.events.ObjectRef;
import io.sluice.contracts.events.TopicDeclarations;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Default;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Which objects this replica of a service works on: those whose key falls in a partition that the
 * service's consumer group gave it on its ownership channel (the one channel whose {@code
 * consumer-rebalance-listener.name} is {@value #LISTENER}). Kafka's group protocol is the election:
 * with cooperative-sticky assignment a rebalance moves only the partitions that must move, and with
 * static membership ({@code group.instance.id}) a replica restarted within the session timeout gets
 * its own partitions back. An object's partition is reckoned with the ownership topic's partition
 * count; {@code TopicDeclarations} creates every topic with the same count ({@code
 * sluice.topics.partitions}), so it is the object's partition on each of them.
 *
 * <p>A replica cut off from the brokers hears of its partitions' move only when it reaches them
 * again; it stops working on them before the group could move them, when its {@link OwnershipLease}
 * runs out ("fenced"), and works on them again once a rebalance it asks for confirms them (or on
 * those the group gave it instead).
 */
@ApplicationScoped
@Default // injected plainly by the services; the identifier is the Kafka connector's lookup
@Identifier(Ownership.LISTENER)
public class Ownership implements KafkaConsumerRebalanceListener {
    public static final String LISTENER = "sluice-ownership";
    private static final Logger LOG = Logger.getLogger(Ownership.class);
    private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration LEASE_CHECK = Duration.ofSeconds(1);
    private static final Duration DEFAULT_SESSION_TIMEOUT = Duration.ofSeconds(45); // Kafka's

    private final Set<Integer> owned = ConcurrentHashMap.newKeySet();
    private final AtomicInteger rebalances = new AtomicInteger();
    private final CompletableFuture<Void> firstAssignment = new CompletableFuture<>();
    private final java.util.function.Consumer<OwnershipChange> changes;
    private final Instance<KafkaClientService> kafka;
    private volatile String topic;
    private volatile int partitions;
    private volatile boolean fenced;
    private volatile Member member;
    private ScheduledExecutorService leaseTimer;

    @Inject
    public Ownership(
            Event<OwnershipChange> changes,
            Instance<KafkaClientService> kafka,
            @ConfigProperty(name = "sluice.replicas", defaultValue = "1") int replicas) {
        this.changes = changes::fire;
        // alone, no other replica could take its partitions: a broker outage does not stop it
        this.kafka = replicas > 1 ? kafka : null;
    }

    Ownership(java.util.function.Consumer<OwnershipChange> changes) {
        this.changes = changes;
        this.kafka = null;
    }

    /**
     * The consumer in the group, watched for the {@link OwnershipLease}; {@code rejoin} asks it,
     * off its poll thread, to rebalance. A SmallRye channel's consumer is found at its first
     * callback. Only when the service runs as several replicas ({@code sluice.replicas}).
     */
    public void attach(Consumer<?, ?> consumer, Duration sessionTimeout, Runnable rejoin) {
        member = new Member(consumer, new OwnershipLease(sessionTimeout), rejoin);
        synchronized (this) {
            if (leaseTimer == null) {
                leaseTimer =
                        Executors.newSingleThreadScheduledExecutor(
                                r -> {
                                    Thread t = new Thread(r, "ownership-lease");
                                    t.setDaemon(true);
                                    return t;
                                });
                leaseTimer.scheduleWithFixedDelay(
                        this::checkLeaseNow,
                        LEASE_CHECK.toMillis(),
                        LEASE_CHECK.toMillis(),
                        TimeUnit.MILLISECONDS);
            }
        }
    }

    void stop(@Observes ShutdownEvent event) {
        synchronized (this) {
            if (leaseTimer != null) {
                leaseTimer.shutdownNow();
            }
        }
    }

    /** The SmallRye channel consumer wrapping {@code consumer}, attached; unless one is already. */
    private void attachChannelConsumer(Consumer<?, ?> consumer) {
        Member current = member;
        if ((current != null && current.consumer() == consumer)
                || kafka == null
                || !kafka.isResolvable()) {
            return;
        }
        KafkaClientService clients = kafka.get();
        for (String channel : clients.getConsumerChannels()) {
            for (KafkaConsumer<Object, Object> wrapper : clients.getConsumers(channel)) {
                if (wrapper.unwrap() == consumer) {
                    Object session =
                            wrapper.configuration().get(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG);
                    attach(
                            consumer,
                            session == null
                                    ? DEFAULT_SESSION_TIMEOUT
                                    : Duration.ofMillis(Long.parseLong(session.toString())),
                            () ->
                                    wrapper.runOnPollingThread(
                                                    (Consumer<Object, Object> c) ->
                                                            c.enforceRebalance("lease ran out"))
                                            .subscribe()
                                            .with(
                                                    done -> {},
                                                    e ->
                                                            LOG.warnf(
                                                                    "could not ask %s to rebalance: %s",
                                                                    channel, e.toString())));
                    return;
                }
            }
        }
        LOG.warnf("the ownership consumer is no channel's: no lease is kept");
    }

    /** A failure is logged: thrown, it would end the timer's later looks. */
    private void checkLeaseNow() {
        try {
            checkLease(System.nanoTime());
        } catch (RuntimeException e) {
            LOG.warnf("the lease on partitions %s: %s", owned, e.toString());
        }
    }

    /**
     * The lease looked at, at {@code nowNanos}: when it ran out, this replica stops working on all
     * it owns, as if they were revoked (observers cut short and forget), and asks to rebalance.
     */
    void checkLease(long nowNanos) {
        Member current = member;
        if (current == null
                || !current.lease()
                        .runOut(OwnershipLease.responses(current.consumer()), nowNanos)) {
            return;
        }
        synchronized (this) {
            if (fenced || owned.isEmpty()) {
                return;
            }
            fenced = true;
            Set<Integer> left = new TreeSet<>(owned);
            LOG.warnf(
                    "heard from no broker for %s: stops working on partitions %s of %s until a"
                            + " rebalance confirms them",
                    current.lease().term(), left, topic);
            try {
                changes.accept(new OwnershipChange(topic, partitions, Map.of(), left));
            } finally {
                // even if an observer failed: only a rebalance ends the fence
                current.rejoin().run();
            }
        }
    }

    private record Member(Consumer<?, ?> consumer, OwnershipLease lease, Runnable rejoin) {}

    /**
     * Called at the end of every rebalance the replica takes part in: with cooperative-sticky
     * assignment, with only the partitions added (maybe none); with an eager one, with the whole
     * assignment. Either way, added to what is owned.
     */
    @Override
    public synchronized void onPartitionsAssigned(
            Consumer<?, ?> consumer, Collection<TopicPartition> assigned) {
        attachChannelConsumer(consumer);
        Member current = member;
        if (current != null) {
            current.lease().renew(System.nanoTime());
        }
        rebalances.incrementAndGet();
        // owned first: an exception below is logged and rethrown by SmallRye, and Kafka keeps the
        // assignment all the same (this is not called again for it)
        for (TopicPartition partition : assigned) {
            topic = partition.topic();
            owned.add(partition.partition());
        }
        if (!assigned.isEmpty()) {
            partitions = partitionCount(consumer);
        }
        LOG.infof("owns partitions %s of %s's %d", new TreeSet<>(owned), topic, partitions);
        firstAssignment.complete(null);
        if (fenced) {
            // a member still: all it owns comes to it again
            fenced = false;
            Set<TopicPartition> all = new HashSet<>();
            owned.forEach(p -> all.add(new TopicPartition(topic, p)));
            LOG.infof("the group confirmed partitions %s: works on them again", owned);
            if (!all.isEmpty()) {
                changes.accept(
                        new OwnershipChange(topic, partitions, committed(consumer, all), Set.of()));
            }
        } else if (!assigned.isEmpty()) {
            changes.accept(
                    new OwnershipChange(
                            topic, partitions, committed(consumer, assigned), Set.of()));
        }
    }

    /**
     * From the consumer's metadata, which holds the assigned topic (poll thread: bounded). When it
     * is not to be had, the count known before, else the count every topic is declared with ({@code
     * TopicDeclarations}): without a count this replica would own nothing until the next rebalance.
     */
    private int partitionCount(Consumer<?, ?> consumer) {
        try {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, METADATA_TIMEOUT);
            if (infos != null && !infos.isEmpty()) {
                return infos.size();
            }
        } catch (RuntimeException e) {
            LOG.warnf("partitions of %s not read: %s", topic, e.toString());
        }
        return partitions > 0
                ? partitions
                : ConfigProvider.getConfig()
                        .getOptionalValue(TopicDeclarations.PARTITIONS, Integer.class)
                        .orElse(TopicDeclarations.DEFAULT_PARTITIONS);
    }

    /** Where the group goes on in each partition; none known when the broker does not answer. */
    private static Map<Integer, Long> committed(
            Consumer<?, ?> consumer, Collection<TopicPartition> assigned) {
        Map<Integer, Long> committed = new TreeMap<>();
        assigned.forEach(p -> committed.put(p.partition(), OwnershipChange.NO_OFFSET));
        try {
            consumer.committed(new HashSet<>(assigned), METADATA_TIMEOUT)
                    .forEach(
                            (partition, offset) -> {
                                if (offset != null) {
                                    committed.put(partition.partition(), offset.offset());
                                }
                            });
        } catch (RuntimeException e) {
            LOG.warnf("committed offsets of %s not read: %s", assigned, e.toString());
        }
        return committed;
    }

    /**
     * Completes at the replica's first assignment (maybe of no partition): before it, {@link #owns}
     * is false for every object, though some are surely this replica's.
     */
    public CompletionStage<Void> firstAssignment() {
        return firstAssignment;
    }

    @Override
    public synchronized void onPartitionsRevoked(
            Consumer<?, ?> consumer, Collection<TopicPartition> revoked) {
        Set<Integer> left = new TreeSet<>();
        revoked.forEach(partition -> left.add(partition.partition()));
        owned.removeAll(left);
        LOG.infof("owns partitions %s of %s's %d", new TreeSet<>(owned), topic, partitions);
        // when fenced, the observers were told already that all left
        if (!left.isEmpty() && !fenced) {
            changes.accept(new OwnershipChange(topic, partitions, Map.of(), left));
        }
    }

    /** True when {@code object}'s partition is this replica's. */
    public boolean owns(ObjectRef object) {
        int count = partitions;
        return !fenced
                && count > 0
                && owned.contains(Partitioning.partitionFor(object.key(), count));
    }

    /** What this replica owns now, for {@code /admin/ownership}. */
    public Assignment assignment() {
        return new Assignment(topic, partitions, new TreeSet<>(owned), rebalances.get(), fenced);
    }

    /**
     * The ownership channel's topic, its partition count, the partitions the group gave, how many
     * rebalances of the group this replica has taken part in since it started, and whether its
     * lease ran out (it works on none of them until a rebalance confirms them).
     */
    public record Assignment(
            String topic, int partitions, Set<Integer> owned, int rebalances, boolean fenced) {}
}
