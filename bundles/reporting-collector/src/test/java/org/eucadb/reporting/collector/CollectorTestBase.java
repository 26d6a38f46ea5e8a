package org.eucadb.reporting.collector;

import org.junit.AfterClass;
import org.junit.Before;
import org.junit.BeforeClass;

/** One {@link CollectorFixture} per test class, reset before each test. */
public abstract class CollectorTestBase {
    protected static CollectorFixture fx;

    @BeforeClass
    public static void startFixture() throws Exception {
        fx = new CollectorFixture();
    }

    @AfterClass
    public static void stopFixture() throws Exception {
        fx.close();
    }

    @Before
    public void resetFixture() throws Exception {
        fx.reset();
    }
}
