package io.sluice.health.notify.provider;

import io.sluice.health.notify.NotificationException;
import io.sluice.health.notify.ProviderSettings;

/** The notifier of a Provider's type, made from its settings. */
public final class Notifiers {
    private Notifiers() {}

    /**
     * @param statusId the commit status ID, for the commit status types
     */
    public static Notifier create(ProviderSettings provider, String statusId)
            throws NotificationException {
        return switch (provider.type()) {
            case "generic" -> new Forwarder(provider.address(), provider.headers(), null);
            case "generic-hmac" ->
                    Forwarder.signed(provider.address(), provider.headers(), provider.token());
            case "slack" ->
                    Slack.slack(
                            provider.address(),
                            provider.channel(),
                            provider.username(),
                            provider.token());
            case "discord" -> Slack.discord(provider.address(), provider.username());
            case "rocket" ->
                    Slack.rocket(provider.address(), provider.channel(), provider.username());
            case "msteams" -> new MsTeams(provider.address());
            case "googlechat" -> new GoogleChat(provider.address());
            case "alertmanager" ->
                    new Alertmanager(
                            provider.address(),
                            provider.token(),
                            provider.password() == null ? null : provider.username(),
                            provider.password());
            case "github" ->
                    new GitHubStatus(
                            provider.address(), provider.token(), provider.password(), statusId);
            case "gitlab" ->
                    new GitLabStatus(
                            provider.address(), provider.token(), provider.password(), statusId);
            default ->
                    throw new NotificationException(
                            "failed to initialize notifier: provider "
                                    + provider.type()
                                    + " not supported by Sluice");
        };
    }
}
