package io.sluice.health.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.sluice.contracts.events.TextRecords;
import io.sluice.contracts.kustomize.Kustomization;
import io.sluice.contracts.meta.Reasons;
import io.sluice.contracts.notification.Alert;
import io.sluice.contracts.notification.Provider;
import io.sluice.health.alert.KubernetesEvents;
import io.sluice.health.notify.provider.Notifier;
import io.sluice.health.notify.provider.Notifiers;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * notification-controller's job on Sluice's alerts: each alert on the alerts topic becomes the
 * event Flux's controller would have posted, goes to every Alert object that wants it, and is sent
 * to that Alert's Provider. A failure is logged and recorded as a {@code
 * NotificationDispatchFailed} Warning Event on the Alert (Flux's Alert and Provider have no
 * status); other notifications go on. The record is acknowledged once every send has ended, so one
 * sent while health-service stops is sent again after it restarts.
 */
@ApplicationScoped
public class NotificationForwarder {
    static final String CHANNEL = "notifications";

    /** Older alerts are history, not news: a first start does not send the topic's past. */
    static final Duration MAX_ALERT_AGE = Duration.ofHours(1);

    private static final Logger LOG = Logger.getLogger(NotificationForwarder.class);

    private final KubernetesClient client;
    private final KubernetesEvents events;
    private final MeterRegistry metrics;
    private final ObjectMapper json;
    private final EventSubjects subjects;
    private final ProviderSettingsLoader settings;
    private final AlertMatcher matcher;
    private final DuplicateEvents duplicates = new DuplicateEvents();

    /** The sends under way: bounded, and let finish (not interrupted) when the service stops. */
    private final ExecutorService sends =
            Executors.newFixedThreadPool(
                    16,
                    r -> {
                        Thread t = new Thread(r, "notification");
                        t.setDaemon(true);
                        return t;
                    });

    private volatile SharedIndexInformer<Alert> alerts;

    public NotificationForwarder(
            KubernetesClient client,
            KubernetesEvents events,
            MeterRegistry metrics,
            ObjectMapper json) {
        this.client = client;
        this.events = events;
        this.metrics = metrics;
        this.json = json;
        this.subjects = new EventSubjects(client, instance());
        this.settings = new ProviderSettingsLoader(client);
        this.matcher =
                new AlertMatcher(
                        (alert, reason, message) -> {
                            LOG.warnf("Alert %s: %s", name(alert), message);
                            events.record(alert, true, reason, message, null);
                        });
    }

    void start(@Observes StartupEvent started) {
        alerts = client.resources(Alert.class).inAnyNamespace().runnableInformer(0);
        alerts.start(); // a cluster without the CRD yet: the informer keeps trying
    }

    /**
     * After the Kafka connector has stopped: the sends under way end (within their timeouts); their
     * records, acknowledged too late to be committed, are sent again after the restart.
     */
    @PreDestroy
    void stop() {
        if (alerts != null) {
            alerts.stop();
        }
        sends.shutdown();
        try {
            sends.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** On a pool of its own (see application.properties): slow endpoints hold up nothing else. */
    @Incoming(CHANNEL)
    @Blocking(value = "notifications", ordered = false)
    public void onAlert(String record) {
        try {
            io.sluice.contracts.events.Alert alert =
                    TextRecords.parse(json, record, io.sluice.contracts.events.Alert.class);
            if (alert != null
                    && alert.timestamp() != null
                    && alert.timestamp().isBefore(Instant.now().minus(MAX_ALERT_AGE))) {
                return;
            }
            subjects.event(alert).ifPresent(this::forward);
        } catch (RuntimeException | StackOverflowError e) {
            // a notification never stops the channel: the alert stays on the topic and in Events
            LOG.errorf(e, "an alert could not be forwarded to the notification providers");
        }
    }

    void forward(FluxEvent event) {
        if (!duplicates.firstInWindow(event, Instant.now())) {
            LOG.debugf("discarding event, rate limiting duplicate events: %s", event.objectName());
            return;
        }
        Supplier<Optional<GenericKubernetesResource>> involved =
                memoized(() -> subjects.read(event));
        List<Alert> wanting = new ArrayList<>();
        for (Alert alert : alertObjects()) {
            if (matcher.matches(
                    alert,
                    event,
                    () ->
                            involved.get()
                                    .map(
                                            o ->
                                                    o.getMetadata().getLabels() == null
                                                            ? Map.<String, String>of()
                                                            : o.getMetadata().getLabels()))) {
                wanting.add(alert);
            }
        }
        if (wanting.isEmpty()) {
            return;
        }
        Optional<GenericKubernetesResource> object = involved.get();
        FluxEvent known = object.map(o -> event.withUid(o.getMetadata().getUid())).orElse(event);
        Map<String, String> annotations =
                object.map(o -> o.getMetadata().getAnnotations()).orElse(null);
        List<CompletableFuture<Void>> sending = new ArrayList<>();
        for (Alert alert : wanting) {
            try {
                prepare(alert, known, annotations)
                        .ifPresent(send -> sending.add(CompletableFuture.runAsync(send, sends)));
            } catch (NotificationException | RuntimeException e) {
                // one Alert's fault stops no other Alert
                failed(
                        alert,
                        known,
                        "failed to dispatch notification for ",
                        e.getMessage(),
                        "unknown");
            }
        }
        CompletableFuture.allOf(sending.toArray(CompletableFuture[]::new)).join();
    }

    /** The send to the Alert's Provider; empty when the Provider does not take this event. */
    private Optional<Runnable> prepare(
            Alert alert, FluxEvent event, Map<String, String> annotations)
            throws NotificationException {
        String namespace = alert.getMetadata().getNamespace();
        String providerName =
                alert.getSpec().providerRef == null ? null : alert.getSpec().providerRef.getName();
        Provider provider;
        try {
            provider =
                    providerName == null
                            ? null
                            : client.resources(Provider.class)
                                    .inNamespace(namespace)
                                    .withName(providerName)
                                    .get();
        } catch (KubernetesClientException e) {
            throw new NotificationException("failed to read provider: " + e.getMessage(), e);
        }
        if (provider == null || provider.getSpec() == null) {
            throw new NotificationException(
                    "failed to read provider: providers.notification.toolkit.fluxcd.io \""
                            + providerName
                            + "\" not found");
        }
        if (Boolean.TRUE.equals(provider.getSpec().suspend)) {
            return Optional.empty();
        }
        String type = provider.getSpec().type;
        if (CommitStatus.TYPES.contains(type) && !forCommitStatus(event, annotations)) {
            LOG.debugf(
                    "event dropped for commit status provider %s/%s due to missing commit metadata key",
                    namespace, providerName);
            return Optional.empty();
        }
        MetadataMerge.Merged merged =
                MetadataMerge.merge(annotations, alert.getSpec(), event.metadata());
        if (!merged.conflicts().isEmpty()) {
            String message =
                    "metadata key conflicts detected (please refer to the Alert API docs and Flux RFC 0008 for more information)";
            LOG.infof("Alert %s: %s: %s", name(alert), message, merged.conflicts());
            events.record(alert, true, "MetadataAppendFailed", message, null);
        }
        FluxEvent sent = event.withMetadata(merged.metadata());
        ProviderSettings providerSettings;
        Notifier notifier;
        try {
            providerSettings = settings.load(provider);
            notifier =
                    Notifiers.create(
                            providerSettings,
                            CommitStatus.id(sent, provider.getMetadata().getUid()));
        } catch (NotificationException e) {
            throw new NotificationException(
                    "failed to initialize notifier for provider '"
                            + providerName
                            + "': "
                            + e.getMessage(),
                    e);
        }
        return Optional.of(
                () -> {
                    try {
                        notifier.post(
                                sent,
                                new Delivery(providerSettings.http(), providerSettings.timeout()));
                        metrics.counter(
                                        "sluice_notifications_total",
                                        "type",
                                        type,
                                        "outcome",
                                        "sent")
                                .increment();
                        LOG.debugf(
                                "notification for %s sent to provider %s/%s",
                                sent.objectName(), namespace, providerName);
                    } catch (NotificationException | RuntimeException e) {
                        failed(
                                alert,
                                sent,
                                "failed to send notification for ",
                                providerSettings.masked(e.getMessage()),
                                type);
                    }
                });
    }

    /**
     * Flux sends a commit status Provider errors and its "Reconciliation finished" update; Sluice's
     * one success event of a Kustomization stands for that update.
     */
    private static boolean forCommitStatus(FluxEvent event, Map<String, String> annotations) {
        String commit =
                annotations == null
                        ? null
                        : annotations.get(MetadataMerge.ANNOTATION_PREFIX + "commit");
        return event.isError()
                || (commit != null && !commit.isEmpty())
                || (Kustomization.KIND.equals(event.involvedObject().kind())
                        && Reasons.RECONCILIATION_SUCCEEDED.equals(event.reason()));
    }

    private void failed(Alert alert, FluxEvent event, String what, String problem, String type) {
        FluxEvent.InvolvedObject object = event.involvedObject();
        String message =
                what
                        + object.kind()
                        + "/"
                        + object.namespace()
                        + "/"
                        + object.name()
                        + ": "
                        + problem;
        LOG.errorf("Alert %s: %s", name(alert), message);
        metrics.counter("sluice_notifications_total", "type", type, "outcome", "failed")
                .increment();
        events.record(alert, true, "NotificationDispatchFailed", message, null);
    }

    private List<Alert> alertObjects() {
        if (alerts != null && alerts.hasSynced()) {
            return alerts.getStore().list();
        }
        return client.resources(Alert.class).inAnyNamespace().list().getItems();
    }

    private static String name(Alert alert) {
        return alert.getMetadata().getNamespace() + "/" + alert.getMetadata().getName();
    }

    private static <T> Supplier<T> memoized(Supplier<T> supplier) {
        return new Supplier<>() {
            private T value;
            private boolean known;

            @Override
            public synchronized T get() {
                if (!known) {
                    value = supplier.get();
                    known = true;
                }
                return value;
            }
        };
    }

    private static String instance() {
        String host = System.getenv("HOSTNAME");
        return host == null ? "" : host;
    }
}
