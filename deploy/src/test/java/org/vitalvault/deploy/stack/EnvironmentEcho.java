package org.vitalvault.deploy.stack;

/**
 * A stand-in service for {@link ServiceProcessTest}: writes the password it was given (environment)
 * and a plain setting (system property) to its log, then waits to be inspected and stopped.
 */
public final class EnvironmentEcho {

    private EnvironmentEcho() {
    }

    public static void main(String[] args) throws InterruptedException {
        System.out.println("QUARKUS_DATASOURCE_PASSWORD=" + System.getenv("QUARKUS_DATASOURCE_PASSWORD"));
        System.out.println("VITALVAULT_BROKER_ADMIN_PASSWORD=" + System.getenv("VITALVAULT_BROKER_ADMIN_PASSWORD"));
        System.out.println("quarkus.http.port=" + System.getProperty("quarkus.http.port"));
        System.out.println("ready");
        System.out.flush();
        Thread.sleep(120_000);
    }
}
