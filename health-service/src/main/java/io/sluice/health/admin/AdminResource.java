package io.sluice.health.admin;

import io.sluice.contracts.admin.ObjectState;
import io.sluice.contracts.admin.ObjectStates;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import java.util.List;

/** Lists the Kustomizations this service judged and its last verdict on each. */
@Path("/admin")
public class AdminResource {
    private final ObjectStates states;

    public AdminResource(ObjectStates states) {
        this.states = states;
    }

    @GET
    @Path("/objects")
    public List<ObjectState> objects() {
        return states.all();
    }
}
