// Names of what this site keeps in the browser's localStorage.
export const SEAT_KEY = "crisis-sim.seat";
export const OBSERVER_KEY = "crisis-sim.observer";
