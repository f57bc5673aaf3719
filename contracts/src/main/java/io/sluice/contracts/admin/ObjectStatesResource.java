package io.sluice.contracts.admin;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/**
 * {@code GET /admin/objects}, the same in every service: the objects it knows and its last result
 * for each.
 */
@Path("/admin/objects")
public class ObjectStatesResource {
    private final ObjectStates states;

    public ObjectStatesResource(ObjectStates states) {
        this.states = states;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public List<ObjectState> objects() {
        return states.all();
    }
}
