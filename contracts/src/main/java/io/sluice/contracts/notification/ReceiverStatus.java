package io.sluice.contracts.notification;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

@JsonIgnoreProperties(ignoreUnknown = true)
public class ReceiverStatus {
    public Long observedGeneration;
    public List<Condition> conditions;

    /** {@code /hook/<sha256(token + name + namespace)>}: where the webhook is served. */
    public String webhookPath;

    public String lastHandledReconcileAt;
}
