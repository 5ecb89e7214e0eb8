package org.vitalvault.deploy.simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.mqttv5.common.MqttException;

/** Runs every device of a fleet on a small scheduler, each at its own pace with a random phase. */
public final class FleetSimulator implements AutoCloseable {

    private final List<DeviceSimulator> devices = new ArrayList<>();
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong spoiledPacks = new AtomicLong();
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, r -> {
        Thread t = new Thread(r, "simulator");
        t.setDaemon(true);
        return t;
    });

    public FleetSimulator(List<Fleet.SimOwner> fleet, SimulationSettings settings, long seed) {
        Random random = new Random(seed);
        for (Fleet.SimOwner owner : fleet) {
            for (Fleet.SimDevice d : owner.devices()) {
                devices.add(DeviceSimulator.of(d, settings, new Random(random.nextLong()), published, spoiledPacks));
            }
        }
    }

    public void start(String brokerUrl) throws MqttException {
        Random phase = new Random();
        for (DeviceSimulator d : devices) {
            d.connect(brokerUrl);
            long periodMs = Math.round(d.packIntervalSeconds() * 1000);
            scheduler.scheduleAtFixedRate(d::publishPack, phase.nextInt((int) Math.min(periodMs, 5000)), periodMs,
                    TimeUnit.MILLISECONDS);
        }
    }

    /** Readings published so far (QoS 1 publishes handed to the client). */
    public long published() {
        return published.get();
    }

    /** Packs sent wrong on purpose so far. */
    public long spoiledPacks() {
        return spoiledPacks.get();
    }

    public int deviceCount() {
        return devices.size();
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        devices.forEach(DeviceSimulator::disconnect);
    }
}
